/**
 * Runs `work` over every item with at most `limit` in flight, and settles all of them before it
 * answers: a failure is thrown only once nothing started is still running (no write outlives the
 * call that reports it), and the first failure is the one thrown.
 */
export async function boundedAll<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
