/**
 * Is a survey receiving answers far faster than it usually does? Its own baseline decides, not a fixed
 * number: the mean hourly count over the past week. A flood of scripted answers shows here before it
 * shows in the figures; ops are alarmed and can exclude it (docs/operations.md, "Abuse").
 */
import type { ArrivalStore } from './arrival-store';

export interface SurgeCheck {
  /** Answers received so far in the current hour. */
  readonly currentHour: number;
  /** Minutes of the current hour that have passed (0–59). */
  readonly minutesIntoHour: number;
  /** Answers per hour over the past 7 days (168 hours; missing hours are zero). */
  readonly pastHours: readonly number[];
}

/** At least this many answers in the hour before anything is a surge: small surveys are noisy. */
export const SURGE_MIN_ANSWERS = 50;
/** This many times the usual hourly rate (projected over the hour) is a surge. */
export const SURGE_FACTOR = 10;

export function surgeRatio(check: SurgeCheck): number {
  const baseline = Math.max(1, check.pastHours.reduce((a, b) => a + b, 0) / Math.max(1, check.pastHours.length));
  // Project the hour so far over a whole hour; the first minutes of an hour are not over-extrapolated.
  const projected = (check.currentHour * 60) / Math.max(10, check.minutesIntoHour + 1);
  return projected / baseline;
}

export function isSurge(check: SurgeCheck): boolean {
  return check.currentHour >= SURGE_MIN_ANSWERS && surgeRatio(check) >= SURGE_FACTOR;
}

const HOUR_MS = 3_600_000;
const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/**
 * Watches the surveys the aggregator has just counted answers for. The past week of hourly counts is
 * read once per survey and reused for `baselineTtlMs` (it changes slowly); the current hour is read each
 * time.
 */
export class SurgeWatch {
  private readonly baselines = new Map<string, { at: number; hours: number[] }>();

  constructor(
    private readonly deps: {
      arrivals: ArrivalStore;
      now: () => Date;
      baselineTtlMs?: number;
    },
  ) {}

  async check(surveyIds: Iterable<string>): Promise<{ surveyId: string; ratio: number; surging: boolean }[]> {
    const now = this.deps.now().getTime();
    const currentHour = hourOf(now);
    const out: { surveyId: string; ratio: number; surging: boolean }[] = [];
    for (const surveyId of new Set(surveyIds)) {
      const current = (await this.deps.arrivals.hourly(surveyId, currentHour, currentHour)).get(currentHour) ?? 0;
      // Below the minimum nothing can be a surge: skip the week's read for the many quiet surveys.
      if (current < SURGE_MIN_ANSWERS) continue;
      const pastHours = await this.pastWeek(surveyId, now);
      const check = { currentHour: current, minutesIntoHour: new Date(now).getUTCMinutes(), pastHours };
      out.push({ surveyId, ratio: surgeRatio(check), surging: isSurge(check) });
    }
    return out;
  }

  private async pastWeek(surveyId: string, now: number): Promise<number[]> {
    const cached = this.baselines.get(surveyId);
    if (cached && now - cached.at < (this.deps.baselineTtlMs ?? 15 * 60_000)) return cached.hours;
    const from = now - 7 * 24 * HOUR_MS;
    const counts = await this.deps.arrivals.hourly(surveyId, hourOf(from), hourOf(now - HOUR_MS));
    const hours: number[] = [];
    for (let t = from; t < now - HOUR_MS / 2; t += HOUR_MS) hours.push(counts.get(hourOf(t)) ?? 0);
    this.baselines.set(surveyId, { at: now, hours });
    return hours;
  }
}
