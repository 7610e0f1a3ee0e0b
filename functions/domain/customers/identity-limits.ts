/**
 * The identity secret's limits, in a file of their own (no zod, no node:) so that the console states
 * and checks the same bounds the API enforces without copying them.
 */
export const IDENTITY_LIMITS = {
  /** Longest grace period a rotation may give the previous secret. */
  maxGraceHours: 24 * 30,
  defaultGraceHours: 24,
  /** An identity token may be valid for at most this long from when it is checked. */
  maxTokenSeconds: 600,
  /** Clock skew allowed between the signing site and Rapport. */
  clockToleranceSeconds: 60,
} as const;
