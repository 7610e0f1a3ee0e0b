/**
 * What one stored response adds to its survey's daily aggregates. Every report figure is computed
 * from these counts (DESIGN §3–§4), so they are exact and a report never reads a response.
 *
 * Items per survey and day (sort keys under `AGG#<survey>`):
 * - `DAY#<d>#T`              n, comments, detractors
 * - `DAY#<d>#Q#<series>`     h:<value> histogram; j:<overallSeries>:<x>:<y> joint counts with the overall question
 * - `DAY#<d>#C#<series>`     o:<optionId> choice counts
 * - `DAY#<d>#S#<segment>`    n, h:<series>:<value>, o:<series>:<option> per segment (bounded per survey)
 */
import type { ResponseFacts } from './response';

export interface CounterAddition {
  sortKey: string;
  add: Record<string, number>;
}

export const aggregatePartition = (surveyId: string) => `AGG#${surveyId}`;

export function aggregateAdditions(facts: ResponseFacts, day: string): CounterAddition[] {
  const segment = facts.segment;
  const out: CounterAddition[] = [];
  out.push({ sortKey: `DAY#${day}#T`, add: { n: 1, comments: facts.comments, detractors: facts.detractor ? 1 : 0 } });
  const overallValue = facts.overall !== undefined ? facts.rated[facts.overall] : undefined;
  for (const [series, value] of Object.entries(facts.rated)) {
    const add: Record<string, number> = { [`h:${value}`]: 1 };
    if (facts.overall !== undefined && overallValue !== undefined && series !== facts.overall) {
      add[`j:${facts.overall}:${value}:${overallValue}`] = 1;
    }
    out.push({ sortKey: `DAY#${day}#Q#${series}`, add });
  }
  for (const [series, option] of Object.entries(facts.choices)) {
    out.push({ sortKey: `DAY#${day}#C#${series}`, add: { [`o:${option}`]: 1 } });
  }
  if (segment !== undefined) {
    const add: Record<string, number> = { n: 1 };
    for (const [series, value] of Object.entries(facts.rated)) add[`h:${series}:${value}`] = 1;
    for (const [series, option] of Object.entries(facts.choices)) add[`o:${series}:${option}`] = 1;
    out.push({ sortKey: `DAY#${day}#S#${segment}`, add });
  }
  return out.map((a) => ({ ...a, add: Object.fromEntries(Object.entries(a.add).filter(([, n]) => n !== 0)) }));
}

/** Satisfaction of one response on a 0–100 scale (the customer's average satisfaction uses it). */
export function normalisedScore(score: { value: number; min: number; max: number }): number {
  return ((score.value - score.min) / (score.max - score.min)) * 100;
}
