import { describeScale } from './describe-scale';
import { CES_7 } from './scale';
import type { Histogram, Interval } from './types';
import { wilson } from './wilson';

export interface CesFigure {
  n: number;
  /** Null when n = 0. */
  mean: number | null;
  /** Sample SD; null when n < 2. */
  sd: number | null;
  /** t-interval of the mean; null when n < 2. */
  ci95: Interval | null;
  /** Share of answers 5–7 ("agree" on the CES 2.0 agreement scale); null when n = 0. */
  agreeShare: number | null;
  /** Wilson interval of agreeShare; null when n = 0. */
  agreeCi95: Interval | null;
  lowSample: boolean;
}

/** Customer Effort Score 2.0 on its 1–7 agreement scale (7 = strongly agree the issue was easy to handle). */
export function ces(hist: Histogram): CesFigure {
  const summary = describeScale(hist, CES_7);
  const agree = summary.distribution.filter((d) => d.value >= 5).reduce((sum, d) => sum + d.count, 0);
  const bounds = wilson(agree, summary.n);
  return {
    n: summary.n,
    mean: summary.mean,
    sd: summary.sd,
    ci95: summary.ci95,
    agreeShare: summary.n === 0 ? null : agree / summary.n,
    agreeCi95: bounds && { ...bounds, level: 0.95 },
    lowSample: summary.lowSample,
  };
}
