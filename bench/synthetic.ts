/** Synthetic answers to the demo survey, shared by the benchmarks (deterministic for a given seed). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One plausible response to the demo survey: correlated overall/delivery/NPS, some comments, a segment. */
export function syntheticAnswer(random: () => number): { answers: Record<string, number | string>; segment: string } {
  const overall = 1 + Math.floor(random() * 5);
  const answers: Record<string, number | string> = {
    overall,
    delivery: Math.max(1, Math.min(5, overall + Math.round(random() * 2 - 1))),
    nps: Math.min(10, Math.floor(random() * 4) + overall * 2 - 1),
    effort: 1 + Math.floor(random() * 7),
    channel: ['web', 'app', 'store'][Math.floor(random() * 3)]!,
  };
  if (random() < 0.2) answers.comment = 'synthetic comment';
  return { answers, segment: ['enterprise', 'smb', 'consumer'][Math.floor(random() * 3)]! };
}
