/**
 * Outgoing e-mail, as the domain sees it: one message to one recipient (each recipient gets their own
 * language and their own signed unsubscribe link), in plain text and HTML. Where it goes is the
 * adapter's business: SES in AWS, `.eml` files in the local outbox.
 *
 * Sending is not idempotent by itself (SES does not deduplicate): a caller that may run twice records
 * what it sent under `id` before it sends, so a retried run sends nothing twice.
 */
export interface MailMessage {
  /** Stable for the same message on every retry (e.g. digest + survey + period + recipient). */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
