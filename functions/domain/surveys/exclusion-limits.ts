/**
 * The spans of abuse repair, in a file of their own (no zod, no node:) so that the console can say
 * the same limits the API enforces without copying them.
 */

/** `GET /v1/surveys/{id}/clients` looks at most this many days at a time (one day partition each). */
export const CLIENTS_MAX_DAYS = 2;
/** One exclusion may cover at most this span (the day partitions it reads and rebuilds). */
export const EXCLUSION_MAX_DAYS = 7;
