/**
 * The local stand-in for SES: every message becomes an RFC 5322 `.eml` file (multipart/alternative,
 * text and HTML, UTF-8) in one folder, named by the message id, so a retried send of the same message
 * leaves one file. Any mail client opens them; the local runtime lists them at `/dev/mail`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Mailer, MailMessage } from '../functions/domain/mail/mailer';

export interface StoredMail {
  file: string;
  message: MailMessage & { from: string; date: string };
}

export class FileOutbox implements Mailer {
  constructor(
    readonly dir: string,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, fileNameOf(message.id));
    try {
      await writeFile(file, composeEml(message, this.from, new Date()), { flag: 'wx' });
    } catch (err) {
      // The same message sent again: it is already in the outbox.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }

  /** The outbox's messages, newest first. */
  async list(): Promise<StoredMail[]> {
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => f.endsWith('.eml'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const mails = await Promise.all(
      files.map(async (file) => ({ file, message: parseEml(await readFile(path.join(this.dir, file), 'utf8')) })),
    );
    return mails.sort((a, b) => b.message.date.localeCompare(a.message.date));
  }
}

/** A file name from a message id: readable, and never a path. */
export function fileNameOf(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 180)}.eml`;
}

const CRLF = '\r\n';

/** RFC 2047 encoded word for a header value that is not plain ASCII (a Chinese subject, say). */
function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error('a header value must not contain a line break');
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);
}

export function composeEml(message: MailMessage, from: string, date: Date): string {
  const boundary = `rapport-${randomBytes(12).toString('hex')}`;
  const headers: [string, string][] = [
    ['From', from],
    ['To', message.to],
    ['Subject', message.subject],
    ['Date', date.toUTCString()],
    ['Message-ID', `<${message.id.replace(/[^A-Za-z0-9._-]/g, '.')}@rapport.local>`],
    ['X-Rapport-Message-Id', message.id],
    ...Object.entries(message.headers ?? {}),
    ['MIME-Version', '1.0'],
    ['Content-Type', `multipart/alternative; boundary="${boundary}"`],
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(body),
    ].join(CRLF);
  return [
    ...headers.map(([name, value]) => `${name}: ${headerValue(value)}`),
    '',
    part('text/plain', message.text),
    part('text/html', message.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g, (_, b64: string) =>
    Buffer.from(b64, 'base64').toString('utf8'),
  );
}

/** Reads back what composeEml wrote (not a general MIME parser). */
export function parseEml(eml: string): StoredMail['message'] {
  const [head = '', ...rest] = eml.split(`${CRLF}${CRLF}`);
  const headers = new Map<string, string>();
  for (const line of head.split(CRLF)) {
    const at = line.indexOf(': ');
    if (at > 0) headers.set(line.slice(0, at), decodeHeader(line.slice(at + 2)));
  }
  const boundary = /boundary="([^"]+)"/.exec(headers.get('Content-Type') ?? '')?.[1] ?? '';
  const parts = rest
    .join(`${CRLF}${CRLF}`)
    .split(`--${boundary}`)
    .map((p) => p.split(`${CRLF}${CRLF}`))
    .filter(([h]) => h?.includes('Content-Type: text/'));
  const body = (type: string) => {
    const found = parts.find(([h]) => h?.includes(`Content-Type: ${type}`));
    return found ? Buffer.from((found[1] ?? '').replace(/\s+/g, ''), 'base64').toString('utf8') : '';
  };
  const standard = new Set([
    'From',
    'To',
    'Subject',
    'Date',
    'Message-ID',
    'X-Rapport-Message-Id',
    'MIME-Version',
    'Content-Type',
  ]);
  const extra = [...headers].filter(([name]) => !standard.has(name));
  return {
    id: headers.get('X-Rapport-Message-Id') ?? '',
    from: headers.get('From') ?? '',
    to: headers.get('To') ?? '',
    subject: headers.get('Subject') ?? '',
    date: new Date(headers.get('Date') ?? 0).toISOString(),
    text: body('text/plain'),
    html: body('text/html'),
    ...(extra.length ? { headers: Object.fromEntries(extra) } : {}),
  };
}
