import {
  CES_7,
  csat,
  type Histogram,
  histogramMoments,
  type Interval,
  newcombeInterval,
  newcombeLessPValue,
  nps,
  npsDifference,
  type Scale,
  welch,
} from '../statistics';

/** The four figures alerts watch. Order is the order decisions are listed in. */
export const ALERT_METRICS = ['csat', 'nps', 'ces', 'mean'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** One window's figure: CSAT and NPS in points, CES and the mean in scale points; null without answers. */
export interface WindowFigure {
  n: number;
  value: number | null;
}

export interface WindowComparison {
  current: WindowFigure;
  baseline: WindowFigure;
  /** Estimated change, current − baseline, in the metric's unit (negative: a drop). */
  estimate: number | null;
  /** Two-sided 95% interval of the change. */
  ci95: Interval | null;
  /** One-sided p-value for "the current window is below the baseline". */
  pValue: number | null;
}

const EMPTY = { estimate: null, ci95: null, pValue: null } as const;

/**
 * Compares one metric between two windows with the test that fits it: CSAT (share of the top two
 * points) by Newcombe's hybrid score interval and the p-value that inverts it; NPS by the normal
 * test on the per-answer score's variance the report uses; CES and the overall question's mean by
 * Welch's t. Estimate, interval and p-value are null when a window has too few answers to compute
 * them (none for a share, fewer than two for a mean); the caller's minimum sample is checked
 * elsewhere. `scale` is the question's (CES is always 1–7, NPS 0–10, whatever is passed).
 */
export function compareWindows(
  metric: AlertMetric,
  scale: Scale,
  current: Histogram,
  baseline: Histogram,
): WindowComparison {
  switch (metric) {
    case 'csat': {
      const c = csat(current, scale);
      const b = csat(baseline, scale);
      const figures = {
        current: { n: c.n, value: c.share === null ? null : 100 * c.share },
        baseline: { n: b.n, value: b.share === null ? null : 100 * b.share },
      };
      const cc = { successes: c.satisfied, n: c.n };
      const bc = { successes: b.satisfied, n: b.n };
      const ci = newcombeInterval(cc, bc);
      const p = newcombeLessPValue(cc, bc);
      if (!ci || p === null || c.share === null || b.share === null) return { ...figures, ...EMPTY };
      return {
        ...figures,
        estimate: 100 * (c.share - b.share),
        ci95: { low: 100 * ci.low, high: 100 * ci.high, level: 0.95 },
        pValue: p,
      };
    }
    case 'nps': {
      const c = nps(current);
      const b = nps(baseline);
      const figures = { current: { n: c.n, value: c.nps }, baseline: { n: b.n, value: b.nps } };
      if (c.n === 0 || b.n === 0) return { ...figures, ...EMPTY };
      const d = npsDifference(c, b);
      return { ...figures, estimate: d.difference, ci95: d.ci95, pValue: d.lessPValue };
    }
    case 'ces':
    case 'mean': {
      const s = metric === 'ces' ? CES_7 : scale;
      const c = histogramMoments(current, s);
      const b = histogramMoments(baseline, s);
      const figures = { current: { n: c.n, value: c.mean }, baseline: { n: b.n, value: b.mean } };
      if (c.mean === null || c.variance === null || b.mean === null || b.variance === null) {
        return { ...figures, ...EMPTY };
      }
      const w = welch({ n: c.n, mean: c.mean, variance: c.variance }, { n: b.n, mean: b.mean, variance: b.variance });
      return { ...figures, estimate: w.difference, ci95: w.ci95, pValue: w.lessPValue };
    }
    default:
      throw new RangeError(`unknown alert metric ${JSON.stringify(metric)}`);
  }
}
