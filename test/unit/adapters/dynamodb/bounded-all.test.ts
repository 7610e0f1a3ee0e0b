import { describe, expect, it } from 'vitest';
import { boundedAll } from '../../../../functions/adapters/dynamodb/bounded-all';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('boundedAll', () => {
  it('runs every item with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await boundedAll([...Array(25).keys()], 4, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      done.push(n);
      inFlight--;
    });
    expect(most).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(25).keys()]);
  });

  it('throws the first failure only after everything started has settled, and starts nothing new', async () => {
    const settled: number[] = [];
    const started: number[] = [];
    const run = boundedAll([0, 1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('first');
      if (n === 2) {
        await tick();
        throw new Error('second');
      }
      await tick();
      await tick();
      settled.push(n);
    });
    await expect(run).rejects.toThrow('first');
    // 0 and 2 were in flight with 1; 0 finished before the call answered, nothing after the failure began.
    expect(settled).toContain(0);
    expect(started).toEqual([0, 1, 2]);
  });

  it('does nothing for no items', async () => {
    await expect(boundedAll([], 10, async () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
