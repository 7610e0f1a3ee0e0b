/**
 * Seeded Monte Carlo harness for the drop detector: draws both windows of a survey from given answer
 * distributions and runs the real `detectDrops` on the histograms, exactly as the scheduled
 * evaluation will. Shared by the false-alarm and power unit tests and by `npm run bench:alerts`, which
 * prints the tables docs/alerts.md quotes.
 */
import {
  type AlertStates,
  type AlertThresholds,
  DROP_SIGNIFICANCE,
  detectDrops,
  evaluateAlerts,
  type ScopeWindows,
} from '../../functions/domain/alerts';
import { type Histogram, normalQuantile, type Scale, wilson } from '../../functions/domain/statistics';

/** xoshiro128** (Blackman & Vigna): small, fast, 128-bit state, good enough for Monte Carlo; seeded by splitmix32. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Probabilities of each point of a scale, lowest point first. */
export type Distribution = readonly number[];

export interface QuestionModel {
  id: string;
  scale: Scale;
}

/** Answer distributions of one group of respondents, per question id. */
export type Profile = Readonly<Record<string, Distribution>>;

export interface SegmentModel {
  /** null: responses outside every declared segment (they count only in the overall scope). */
  name: string | null;
  /** Expected share of the survey's responses. */
  share: number;
  baseline: Profile;
  /** Defaults to the baseline profile: no change. */
  current?: Profile;
}

export interface SurveyModel {
  name: string;
  questions: {
    csat?: QuestionModel;
    nps?: QuestionModel;
    ces?: QuestionModel;
    overall?: QuestionModel;
  };
  segments: readonly SegmentModel[];
  /** Responses in the current window (all segments); the baseline gets `baselineRatio` times as many. */
  currentN: number;
  baselineRatio: number;
}

/** Realistic answer distributions (lowest point first), used by both simulation tests. */
export const PROFILES = {
  /** CSAT 80%, NPS +27, mean CES 5.0: a typical B2C survey. */
  typical: {
    sat5: [0.04, 0.05, 0.11, 0.4, 0.4],
    sat7: [0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.3],
    nps: [0.03, 0.01, 0.02, 0.02, 0.03, 0.05, 0.06, 0.1, 0.18, 0.2, 0.3],
    ces: [0.03, 0.05, 0.08, 0.14, 0.25, 0.25, 0.2],
  },
  /** CSAT 95%, NPS +75, CES mostly 6–7: shares near 1, where Wald-type tests misbehave. */
  delighted: {
    sat5: [0.01, 0.01, 0.03, 0.15, 0.8],
    sat7: [0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.7],
    nps: [0.01, 0, 0, 0, 0.01, 0.01, 0.02, 0.05, 0.1, 0.25, 0.55],
    ces: [0.01, 0.01, 0.02, 0.04, 0.12, 0.3, 0.5],
  },
  /** CSAT 40%, NPS −38, flat CES: an unhappy segment. */
  unhappy: {
    sat5: [0.15, 0.2, 0.25, 0.25, 0.15],
    sat7: [0.1, 0.1, 0.15, 0.25, 0.2, 0.1, 0.1],
    nps: [0.08, 0.05, 0.07, 0.08, 0.08, 0.1, 0.1, 0.14, 0.12, 0.08, 0.1],
    ces: [0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.1],
  },
} as const satisfies Record<string, Profile>;

/** A 1–5 satisfaction distribution with the given CSAT share (top two points), the rest spread below. */
export function satisfaction5(csatShare: number): Distribution {
  const rest = 1 - csatShare;
  return [0.25 * rest, 0.25 * rest, 0.5 * rest, 0.45 * csatShare, 0.55 * csatShare];
}

export const QUESTIONS = {
  sat5: { id: 'sat5', scale: { min: 1, max: 5 } },
  sat7: { id: 'sat7', scale: { min: 1, max: 7 } },
  nps: { id: 'nps', scale: { min: 0, max: 10 } },
  ces: { id: 'ces', scale: { min: 1, max: 7 } },
} as const satisfies Record<string, QuestionModel>;

function cumulative(dist: Distribution): number[] {
  const total = dist.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9) throw new RangeError(`distribution sums to ${total}`);
  let running = 0;
  return dist.map((p) => {
    running += p;
    return running;
  });
}

/** Adds `n` answers drawn from the distribution with cumulative probabilities `cdf` to `counts` (index 0 = lowest point). */
function draw(random: () => number, cdf: readonly number[], n: number, counts: number[]): void {
  const last = cdf.length - 1;
  for (let i = 0; i < n; i++) {
    const u = random();
    let k = 0;
    while (k < last && u >= (cdf[k] ?? 1)) k++;
    counts[k] = (counts[k] ?? 0) + 1;
  }
}

function toHistogram(counts: readonly number[], scale: Scale): Histogram {
  const hist: Histogram = {};
  counts.forEach((c, k) => {
    if (c > 0) hist[String(scale.min + k)] = c;
  });
  return hist;
}

export interface DrawnSurvey {
  scopes: ScopeWindows[];
}

/**
 * One draw of both windows. Each response falls in a segment with its share (multinomial), answers
 * every question independently from its segment's profile, and counts in its segment's scope (when
 * declared) and in the overall scope. Independent questions are the hardest case for the
 * correction: correlated tests make Holm more conservative, never less.
 */
export function drawSurvey(model: SurveyModel, random: () => number): DrawnSurvey {
  const questions = Object.values(model.questions).filter((q): q is QuestionModel => q !== undefined);
  const unique = [...new Map(questions.map((q) => [q.id, q])).values()];
  const overall: ScopeWindows = { segment: null, current: {}, baseline: {} };
  const scopes: ScopeWindows[] = [overall];
  const windows = [
    ['current', model.currentN],
    ['baseline', Math.round(model.currentN * model.baselineRatio)],
  ] as const;
  // Each response falls in a segment with its share: a multinomial split of each window's total.
  const segmentCdf = cumulative(model.segments.map((s) => s.share));
  const sizes = model.segments.map(() => ({ current: 0, baseline: 0 }));
  for (const [window, total] of windows) {
    const counts = new Array<number>(segmentCdf.length).fill(0);
    draw(random, segmentCdf, total, counts);
    sizes.forEach((size, i) => {
      size[window] = counts[i] ?? 0;
    });
  }
  const totals = new Map<string, Record<'current' | 'baseline', number[]>>(
    unique.map((q) => [q.id, { current: [], baseline: [] }]),
  );
  model.segments.forEach((segment, i) => {
    const scope: ScopeWindows | null =
      segment.name === null ? null : { segment: segment.name, current: {}, baseline: {} };
    if (scope) scopes.push(scope);
    for (const window of ['current', 'baseline'] as const) {
      const profile = window === 'current' ? (segment.current ?? segment.baseline) : segment.baseline;
      for (const q of unique) {
        const dist = profile[q.id];
        if (!dist) throw new RangeError(`segment ${segment.name} has no distribution for ${q.id}`);
        const counts = new Array<number>(dist.length).fill(0);
        draw(random, cumulative(dist), sizes[i]?.[window] ?? 0, counts);
        if (scope) (scope[window] as Record<string, Histogram>)[q.id] = toHistogram(counts, q.scale);
        const total = totals.get(q.id)?.[window] ?? [];
        counts.forEach((c, k) => {
          total[k] = (total[k] ?? 0) + c;
        });
      }
    }
  });
  for (const q of unique) {
    for (const window of ['current', 'baseline'] as const) {
      (overall[window] as Record<string, Histogram>)[q.id] = toHistogram(totals.get(q.id)?.[window] ?? [], q.scale);
    }
  }
  return { scopes };
}

export interface SimulationResult {
  draws: number;
  /** Draws in which at least one (scope, metric) alerted: the family-wise false-alert rate under no change. */
  alerted: number;
  /** The same draws judged without the multiple-testing correction (raw p ≤ DROP_SIGNIFICANCE). */
  alertedUncorrected: number;
  /** Average number of tests per draw (scope × metric pairs with enough answers). */
  meanTested: number;
  /** Draws in which `target` (scope, metric set) alerted; for power. */
  caught: number;
}

export interface SimulationOptions {
  draws: number;
  seed: number;
  thresholds: AlertThresholds;
  /** For power: the scope (null = overall) and metrics whose alert counts as catching the drop. */
  target?: { segment: string | null; metrics: readonly string[] };
}

export function simulate(model: SurveyModel, options: SimulationOptions): SimulationResult {
  const random = seededRandom(options.seed);
  const questions = {
    csat: model.questions.csat,
    nps: model.questions.nps && { id: model.questions.nps.id },
    ces: model.questions.ces && { id: model.questions.ces.id },
    overall: model.questions.overall,
  };
  let alerted = 0;
  let alertedUncorrected = 0;
  let tested = 0;
  let caught = 0;
  for (let i = 0; i < options.draws; i++) {
    const { scopes } = drawSurvey(model, random);
    const detection = detectDrops({ questions, scopes, thresholds: options.thresholds });
    tested += detection.tested;
    if (detection.decisions.some((d) => d.status === 'drop')) alerted++;
    const rawDrop = detection.decisions.some(
      (d) =>
        d.pValue !== null &&
        d.adjustedP !== null &&
        d.estimate !== null &&
        d.pValue <= DROP_SIGNIFICANCE &&
        -d.estimate >= d.minimumDrop,
    );
    if (rawDrop) alertedUncorrected++;
    const target = options.target;
    if (
      target &&
      detection.decisions.some(
        (d) => d.status === 'drop' && d.segment === target.segment && target.metrics.includes(d.metric),
      )
    ) {
      caught++;
    }
  }
  return { draws: options.draws, alerted, alertedUncorrected, meanTested: tested / options.draws, caught };
}

/** 99% Wilson score interval of a simulated rate: the simulation's own error bar. */
export function rateInterval(successes: number, n: number): { low: number; high: number } {
  const interval = wilson(successes, n, normalQuantile(0.995));
  if (!interval) throw new RangeError('rateInterval: no draws');
  return interval;
}

export interface DailySimulationResult {
  /** Survey-years simulated after the warm-up. */
  years: number;
  evaluations: number;
  dropped: number;
  recovered: number;
  /** Evaluations that ended with at least one alert open. */
  daysWithOpenAlert: number;
}

/**
 * The whole lifecycle over time: `model.currentN` responses a day (no change, unless the model says
 * so), evaluated once a day (or every `everyDays` days) on the sliding windows the thresholds define, with the states carried
 * from one day to the next exactly as the scheduled evaluation will carry them. Counts the
 * `satisfaction.dropped` events a stable survey gets per year — the false alarms people actually
 * receive, which overlapping daily windows make more frequent than the per-evaluation rate.
 */
export function simulateDaily(
  model: SurveyModel,
  options: { years: number; seed: number; thresholds: AlertThresholds; everyDays?: number },
): DailySimulationResult {
  const random = seededRandom(options.seed);
  const { currentDays, baselineDays } = options.thresholds;
  const warmUp = currentDays + baselineDays;
  const days = warmUp + Math.round(options.years * 365);
  const questions = {
    csat: model.questions.csat,
    nps: model.questions.nps && { id: model.questions.nps.id },
    ces: model.questions.ces && { id: model.questions.ces.id },
    overall: model.questions.overall,
  };
  const daily: ScopeWindows[][] = [];
  // Running sums per window, scope and question.
  const sums = { current: new Map<string, Histogram>(), baseline: new Map<string, Histogram>() };
  const add = (window: 'current' | 'baseline', day: ScopeWindows[], sign: 1 | -1) => {
    for (const scope of day) {
      for (const [questionId, hist] of Object.entries(scope.current)) {
        const key = `${scope.segment ?? ''}\u0000${questionId}`;
        const into = sums[window].get(key) ?? {};
        for (const [point, count] of Object.entries(hist)) into[point] = (into[point] ?? 0) + sign * count;
        sums[window].set(key, into);
      }
    }
  };
  let previous: AlertStates = {};
  const result: DailySimulationResult = {
    years: options.years,
    evaluations: 0,
    dropped: 0,
    recovered: 0,
    daysWithOpenAlert: 0,
  };
  const dayModel = { ...model, baselineRatio: 0 };
  for (let t = 0; t < days; t++) {
    const today = drawSurvey(dayModel, random).scopes;
    daily.push(today);
    add('current', today, 1);
    const leavingCurrent = daily[t - currentDays];
    if (leavingCurrent) {
      add('current', leavingCurrent, -1);
      add('baseline', leavingCurrent, 1);
    }
    const leavingBaseline = daily[t - warmUp];
    if (leavingBaseline) add('baseline', leavingBaseline, -1);
    if (t < warmUp - 1 || (t - (warmUp - 1)) % (options.everyDays ?? 1) !== 0) continue;
    const scopes = today.map((scope) => {
      const windows: ScopeWindows = { segment: scope.segment, current: {}, baseline: {} };
      for (const questionId of Object.keys(scope.current)) {
        const key = `${scope.segment ?? ''}\u0000${questionId}`;
        (windows.current as Record<string, Histogram>)[questionId] = { ...(sums.current.get(key) ?? {}) };
        (windows.baseline as Record<string, Histogram>)[questionId] = { ...(sums.baseline.get(key) ?? {}) };
      }
      return windows;
    });
    const asOf = new Date(Date.UTC(2025, 0, 1) + t * 86_400_000).toISOString().slice(0, 10);
    const step = evaluateAlerts({
      surveyId: 'sim',
      asOf,
      input: { questions, scopes, thresholds: options.thresholds },
      previous,
    });
    previous = step.states;
    result.evaluations++;
    for (const e of step.events) {
      if (e.type === 'satisfaction.dropped') result.dropped++;
      else result.recovered++;
    }
    if (Object.keys(previous).length > 0) result.daysWithOpenAlert++;
  }
  return result;
}
