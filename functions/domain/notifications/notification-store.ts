/** The ports the notification jobs need from storage: alert state and events, the mail ledger, digest opt-outs. */
import type { AlertEvent, AlertStates } from '../alerts';

/** A survey's open alerts and how far they have been evaluated; `version` 0 = never evaluated. */
export interface AlertStateRecord {
  version: number;
  states: AlertStates;
  /** Last day of the current window of the latest evaluation ('YYYY-MM-DD'). */
  evaluatedThrough?: string;
}

export interface StoredAlertEvent {
  event: AlertEvent;
  recordedAt: string;
  /** Every recipient's e-mail was handed to the mailer (or claimed by a run that did). */
  notifiedAt?: string;
}

export interface AlertStore {
  getState(surveyId: string): Promise<AlertStateRecord>;
  /**
   * In one transaction: the state moves from `expectedVersion` to the next version, and each event is
   * stored once (a conditional put on its id). False when another run moved the state first: then
   * this run's events are not stored and it must not act on them.
   */
  commit(
    surveyId: string,
    expectedVersion: number,
    next: { states: AlertStates; evaluatedThrough: string },
    events: readonly AlertEvent[],
    at: string,
  ): Promise<boolean>;
  /** Events whose `on` is `sinceDay` or later, newest first. */
  recentEvents(surveyId: string, sinceDay: string): Promise<StoredAlertEvent[]>;
  markNotified(surveyId: string, event: AlertEvent, at: string): Promise<void>;
}

export type MailKind = 'alert' | 'digest';

/**
 * What was sent, by message id. SES does not deduplicate, so the id is claimed (a conditional put,
 * the lock) before the message is handed over: a retried or overlapping run finds it claimed and
 * sends nothing.
 */
export interface MailLedger {
  /** True the first time: send it. False when claimed before (sent, or being sent by another run). */
  claim(messageId: string, meta: { kind: MailKind; surveyId: string }, at: string): Promise<boolean>;
  sent(messageId: string, at: string): Promise<void>;
  /** The send failed for sure: a later run may try again. */
  release(messageId: string): Promise<void>;
}

/** Recipients who unsubscribed from a survey's digests, by `recipientRef`. */
export interface DigestOptOuts {
  optedOut(surveyId: string): Promise<Set<string>>;
  /** True when this recipient had not opted out before. */
  optOut(surveyId: string, recipientRef: string, at: string): Promise<boolean>;
}

/** The secret unsubscribe links are signed with: created once, never shown. */
export interface SigningSecrets {
  unsubscribeSecret(): Promise<Uint8Array>;
}
