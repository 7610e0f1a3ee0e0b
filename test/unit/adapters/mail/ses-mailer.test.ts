/**
 * functions/adapters/mail/ses-mailer.ts: one SES v2 SendEmail per message, Simple content in UTF-8 with
 * both parts, the sender identity, and the RFC 8058 headers passed as message headers. SES itself is
 * replaced with aws-sdk-client-mock (there is no SES to talk to here).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../../functions/adapters/mail/ses-mailer';

const ses = mockClient(SESv2Client);
afterAll(() => ses.restore());
beforeEach(() => ses.reset());

const message = {
  id: 'digest:S1:2026-11-23:2026-11-29:abc',
  to: 'wang.li@example.cn',
  subject: '每周摘要：Support desk',
  text: 'CSAT: 80.0%',
  html: '<p>CSAT: 80.0%</p>',
  headers: {
    'List-Unsubscribe': '<https://example.com/v1/unsubscribe?survey=S1>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
};

describe('SesMailer', () => {
  it('sends one SendEmail with simple UTF-8 content, both parts and the unsubscribe headers', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    await new SesMailer(new SESv2Client({ region: 'eu-west-1' }), 'Rapport <alerts@example.com>').send(message);
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      FromEmailAddress: 'Rapport <alerts@example.com>',
      Destination: { ToAddresses: ['wang.li@example.cn'] },
      Content: {
        Simple: {
          Subject: { Data: '每周摘要：Support desk', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 'CSAT: 80.0%', Charset: 'UTF-8' },
            Html: { Data: '<p>CSAT: 80.0%</p>', Charset: 'UTF-8' },
          },
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://example.com/v1/unsubscribe?survey=S1>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    });
  });

  it('sends no Headers field for a message without extra headers, and lets a refusal through', async () => {
    ses.on(SendEmailCommand).resolvesOnce({}).rejectsOnce(new Error('MessageRejected'));
    const mailer = new SesMailer(new SESv2Client({ region: 'eu-west-1' }), 'alerts@example.com');
    const { headers: _h, ...plain } = message;
    await mailer.send(plain);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple).not.toHaveProperty('Headers');
    await expect(mailer.send(plain)).rejects.toThrow('MessageRejected');
  });
});
