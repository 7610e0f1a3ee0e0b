/**
 * The Mailer port on Amazon SES (API v2): one `SendEmail` per message with Simple content (subject,
 * text and HTML parts in UTF-8, SES builds the MIME) and the message's extra headers, such as
 * RFC 8058's `List-Unsubscribe` and `List-Unsubscribe-Post`. SES does not deduplicate: callers claim
 * the message id before sending (functions/domain/notifications/mail-delivery.ts).
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, MailMessage } from '../../domain/mail/mailer';

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const utf8 = (data: string) => ({ Data: data, Charset: 'UTF-8' });
    const headers = Object.entries(message.headers ?? {}).map(([Name, Value]) => ({ Name, Value }));
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: utf8(message.subject),
            Body: { Text: utf8(message.text), Html: utf8(message.html) },
            ...(headers.length ? { Headers: headers } : {}),
          },
        },
      }),
    );
  }
}
