/**
 * The mailer the webhook sender uses in AWS: SES v2 from the `mailFrom` identity (`MAIL_FROM`), as the
 * notifier does. Without `mailFrom` the e-mail about a disabled webhook is logged (without the address)
 * instead of sent, and the function has no SES permission.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../adapters/mail/ses-mailer';
import type { Mailer } from '../domain/mail/mailer';
import { logger } from '../observability/logger';

export function lambdaMailer(from = process.env.MAIL_FROM): Mailer {
  if (from) return new SesMailer(new SESv2Client({}), from);
  return {
    send: async (message) => {
      logger.warn('no mail sender is configured (mailFrom): the e-mail about a disabled webhook was not sent', {
        mailId: message.id,
      });
    },
  };
}
