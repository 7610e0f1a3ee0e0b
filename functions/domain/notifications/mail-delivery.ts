/**
 * Hands one message to the mailer at most once: the message id is claimed in the ledger first (the
 * conditional put is the lock), and released again only when the send failed for certain, so a later
 * run retries it. A run that dies between claim and send leaves the claim: that message is not sent
 * again (at most once, never twice), and the failure shows as the job's error.
 */
import type { Mailer, MailMessage } from '../mail/mailer';
import type { MailKind, MailLedger } from './notification-store';

export type DeliveryOutcome = 'sent' | 'already-claimed' | 'failed';

export interface MailDeliveryDeps {
  ledger: MailLedger;
  mailer: Mailer;
  now: () => Date;
  /** Told of every failed send (the `EmailSendFailed` metric); never of an address. */
  onFailure?: (kind: MailKind, error: unknown) => void;
}

export async function deliverOnce(
  deps: MailDeliveryDeps,
  message: MailMessage,
  meta: { kind: MailKind; surveyId: string },
): Promise<DeliveryOutcome> {
  if (!(await deps.ledger.claim(message.id, meta, deps.now().toISOString()))) return 'already-claimed';
  try {
    await deps.mailer.send(message);
  } catch (error) {
    deps.onFailure?.(meta.kind, error);
    await deps.ledger.release(message.id);
    return 'failed';
  }
  await deps.ledger.sent(message.id, deps.now().toISOString());
  return 'sent';
}
