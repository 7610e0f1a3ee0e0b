/**
 * The local outbox writes each message once, as an .eml file a mail client can open, and reads back
 * exactly what was sent: Chinese subjects and bodies, both parts, extra headers.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../../functions/domain/mail/mailer';
import { composeEml, FileOutbox, fileNameOf } from '../../../local/mail-outbox';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rapport-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const message: MailMessage = {
  id: 'digest:S1:2026-W48:mei@example.cn',
  to: 'mei@example.cn',
  subject: '每周摘要：满意度 82%',
  text: '满意度 82%（95% 区间 78–86）\nhttps://example.com/unsubscribe?t=abc',
  html: '<p>满意度 <b>82%</b></p>',
  headers: {
    'List-Unsubscribe': '<https://example.com/unsubscribe?t=abc>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
};

describe('FileOutbox', () => {
  it('writes one RFC 5322 file per message and reads it back unchanged', async () => {
    const outbox = new FileOutbox(dir, 'Rapport <rapport@example.com>');
    await outbox.send(message);
    const files = await readdir(dir);
    expect(files).toEqual([fileNameOf(message.id)]);
    const raw = await readFile(path.join(dir, files[0]!), 'utf8');
    // Headers are ASCII (the subject is an encoded word) and lines end in CRLF.
    expect(raw.split('\r\n\r\n')[0]).toMatch(/^[\x20-\x7e\r\n]*$/);
    expect(raw).toContain('Subject: =?UTF-8?B?');
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const [stored] = await outbox.list();
    expect(stored?.message).toMatchObject({ ...message, from: 'Rapport <rapport@example.com>' });
  });

  it('keeps one file when the same message is sent again', async () => {
    const outbox = new FileOutbox(dir, 'rapport@example.com');
    await outbox.send(message);
    await outbox.send({ ...message, subject: 'changed' });
    expect(await readdir(dir)).toHaveLength(1);
    expect((await outbox.list())[0]?.message.subject).toBe(message.subject);
  });

  it('lists nothing when nothing was sent, and never writes outside its folder', async () => {
    const outbox = new FileOutbox(path.join(dir, 'not-yet'), 'rapport@example.com');
    expect(await outbox.list()).toEqual([]);
    await outbox.send({ ...message, id: '../../etc/passwd' });
    expect(await readdir(path.join(dir, 'not-yet'))).toEqual(['.._.._etc_passwd.eml']);
  });

  it('refuses a header value with a line break (no header injection)', () => {
    expect(() => composeEml({ ...message, subject: 'Hi\r\nBcc: x@example.com' }, 'a@example.com', new Date())).toThrow(
      /line break/,
    );
  });
});
