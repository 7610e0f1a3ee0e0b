/**
 * Holm's step-down adjusted p-values (Holm, S. (1979) "A simple sequentially rejective multiple test
 * procedure", Scandinavian Journal of Statistics 6, 65–70; adjusted p-values as in Wright, S. P.
 * (1992) "Adjusted p-values for simultaneous inference", Biometrics 48, 1005–1013). With the m
 * p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎:
 *   adjusted p₍ᵢ₎ = min(1, max over j ≤ i of (m − j + 1)·p₍ⱼ₎),
 * returned in the input's order. Rejecting every hypothesis whose adjusted p ≤ α keeps the
 * probability of even one false rejection ≤ α whatever the dependence between the tests, and
 * rejects everything Bonferroni (m·p ≤ α) does and more.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust: p-value ${p} at ${i} is not in [0, 1]`);
  });
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
