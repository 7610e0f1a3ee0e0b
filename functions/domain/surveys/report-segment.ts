/**
 * Segments in reports. A survey that declares segments (`delivery.segments`) is reported per segment;
 * every response falls in exactly one bucket, so the buckets add up to the whole survey:
 * - a declared segment, when the response names it;
 * - `other`, when the response names a segment the survey does not declare (bounded: a page cannot
 *   create buckets, nor hide answers from every bucket with a misspelt segment);
 * - `none`, when the response names no segment.
 * `other` and `none` are therefore reserved: a survey cannot declare them.
 */
import { ValidationError } from '../errors';

export const OTHER_SEGMENT = 'other';
export const NO_SEGMENT = 'none';
export const RESERVED_SEGMENTS: readonly string[] = [OTHER_SEGMENT, NO_SEGMENT];

/** The bucket a response counts in; undefined when the survey declares no segments (no per-segment counts). */
export function reportSegment(declared: readonly string[] | undefined, given: string | undefined): string | undefined {
  if (!declared?.length) return undefined;
  if (given === undefined) return NO_SEGMENT;
  return declared.includes(given) ? given : OTHER_SEGMENT;
}

/** Every bucket of a survey, in report order: the declared segments, then `other`, then `none`. */
export function segmentBuckets(declared: readonly string[] | undefined): string[] {
  return declared?.length ? [...declared, OTHER_SEGMENT, NO_SEGMENT] : [];
}

/**
 * A report's `segment` must be one of the survey's buckets: a misspelt segment would otherwise
 * answer with zeros, which reads as "nobody in that segment answered".
 */
export function checkReportSegment(declared: readonly string[] | undefined, segment: string): void {
  const buckets = segmentBuckets(declared);
  if (buckets.includes(segment)) return;
  throw new ValidationError([
    {
      path: 'query/segment',
      message: buckets.length
        ? `is not a segment of this survey: use one of ${declared?.join(', ')}, ${OTHER_SEGMENT} (segments the survey does not declare) or ${NO_SEGMENT} (no segment given)`
        : 'this survey declares no segments (delivery.segments), so it has no segment reports',
    },
  ]);
}
