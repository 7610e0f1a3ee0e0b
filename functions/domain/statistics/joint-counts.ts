import { assertCount, parsePointKey } from './histogram';
import { assertScale } from './scale';
import type { Histogram, JointCounts, Scale } from './types';

/** One cell of a validated joint count table. */
export interface JointCell {
  x: number;
  y: number;
  count: number;
}

export interface JointScales {
  /** Scale of the rated item (the `x` of `"x|y"`). */
  x?: Scale;
  /** Scale of the overall question (the `y`). */
  y?: Scale;
}

function checkRange(value: number, scale: Scale | undefined, axis: string): void {
  if (scale && (value < scale.min || value > scale.max)) {
    throw new RangeError(`joint counts: ${axis} = ${value} is outside the scale ${scale.min}..${scale.max}`);
  }
}

/** Validates a joint table (keys `"x|y"` of canonical integers, non-negative integer counts). */
export function jointCells(joint: JointCounts, scales: JointScales = {}): JointCell[] {
  if (scales.x) assertScale(scales.x);
  if (scales.y) assertScale(scales.y);
  const cells: JointCell[] = [];
  for (const [key, count] of Object.entries(joint)) {
    const parts = key.split('|');
    if (parts.length !== 2) throw new RangeError(`joint counts: key ${JSON.stringify(key)} is not "x|y"`);
    const x = parsePointKey(parts[0] ?? '', 'joint counts');
    const y = parsePointKey(parts[1] ?? '', 'joint counts');
    assertCount(count, `joint counts[${key}]`);
    checkRange(x, scales.x, 'x');
    checkRange(y, scales.y, 'y');
    cells.push({ x, y, count });
  }
  return cells.sort((a, b) => a.x - b.x || a.y - b.y);
}

export function jointKey(x: number, y: number): string {
  return `${x}|${y}`;
}

/** Sum of two joint tables; the inputs are not modified. */
export function mergeJoint(a: JointCounts, b: JointCounts): JointCounts {
  const out: JointCounts = {};
  for (const { x, y, count } of [...jointCells(a), ...jointCells(b)]) {
    const key = jointKey(x, y);
    out[key] = (out[key] ?? 0) + count;
  }
  return out;
}

/** Joint table of raw (item, overall) answer pairs; both answers must be integers. */
export function jointFromPairs(pairs: readonly (readonly [number, number])[]): JointCounts {
  const out: JointCounts = {};
  for (const [x, y] of pairs) {
    if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) {
      throw new RangeError(`answer pair (${x}, ${y}) is not a pair of integer scale points`);
    }
    const key = jointKey(x, y);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Marginal histograms of a joint table. */
export function jointMarginals(joint: JointCounts, scales: JointScales = {}): { x: Histogram; y: Histogram } {
  const x: Histogram = {};
  const y: Histogram = {};
  for (const cell of jointCells(joint, scales)) {
    x[String(cell.x)] = (x[String(cell.x)] ?? 0) + cell.count;
    y[String(cell.y)] = (y[String(cell.y)] ?? 0) + cell.count;
  }
  return { x, y };
}
