/**
 * The mailer the webhook sender uses in AWS (one small function so the wiring lives in one place).
 * The SES adapter is `functions/adapters/mail/ses-mailer.ts`; until it is part of this build, the
 * e-mail about a disabled webhook is logged (without the address) instead of sent.
 */
import type { Mailer } from '../domain/mail/mailer';
import { logger } from '../observability/logger';

export function lambdaMailer(): Mailer {
  return {
    send: async (message) => {
      logger.warn('no mailer is wired: the e-mail about a disabled webhook was not sent', { mailId: message.id });
    },
  };
}
