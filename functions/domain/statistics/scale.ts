import type { Scale } from './types';

/** Scales with a fixed meaning in the design (§4). */
export const LIKERT_5: Scale = Object.freeze({ min: 1, max: 5 });
export const CES_7: Scale = Object.freeze({ min: 1, max: 7 });
export const NPS_11: Scale = Object.freeze({ min: 0, max: 10 });

/** A scale must be an integer range with at least two points; anything else is a programming bug. */
export function assertScale(scale: Scale): void {
  if (!Number.isSafeInteger(scale.min) || !Number.isSafeInteger(scale.max) || scale.min >= scale.max) {
    throw new RangeError(`invalid scale ${JSON.stringify(scale)}: min and max must be integers with min < max`);
  }
}
