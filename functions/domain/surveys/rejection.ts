/**
 * Why a survey response was refused: the one vocabulary of the submit path, its metrics and its
 * alarms. A closed set, because every distinct value of a metric dimension is a separate (billed)
 * CloudWatch metric: anything else is `other`.
 */
export const rejectionReasons = [
  'invalid', // failed the response schema or the survey's answer rules
  'survey-not-open', // unknown, draft or closed survey
  'origin-not-allowed', // Origin not in the survey's allow-list
  'honeypot', // the hidden field was filled in: a bot
  'too-large', // body over the route's size cap
  'unsupported-media-type',
  'conflict', // the client's response id was reused with a different body
  'rate-limited', // the survey's own per-minute budget was spent
  'unavailable', // a dependency failed; the client will retry
  'other',
] as const;

export type RejectionReason = (typeof rejectionReasons)[number];

/** A refused submission: the reason (for metrics) and the error the client gets. */
export class SubmissionRejected extends Error {
  constructor(
    readonly reason: RejectionReason,
    readonly error: Error,
  ) {
    super(error.message);
  }
}
