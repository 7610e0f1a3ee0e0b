/**
 * What one stored response adds to its survey's daily aggregates. Every report figure is computed
 * from these counts (docs/design.md, "Aggregates"), so they are exact and a report never reads a
 * response. How cells are stored (their keys) is the DynamoDB adapter's business.
 *
 * Cells per survey and day:
 * - `total`                   n, comments, detractors
 * - `question` (key: series)  h:<value> histogram; j:<overallSeries>:<x>:<y> joint counts with the overall question
 * - `choice` (key: series)    o:<optionId> choice counts
 * - `segment` (key: bucket)   everything above for one segment bucket (report-segment.ts), so a segment
 *                             report has every figure the whole-survey report has: n, comments, detractors,
 *                             h:<series>:<value>, o:<series>:<option>, j:<series>:<overallSeries>:<x>:<y>.
 * - `funnel` (key '')         displays: shown, dismissed, d:<questionId> (dismissed at that question)
 * - `funnel-segment` (bucket)  the same for one segment bucket
 * Series keys (`<question id>@<since>`) and option ids contain no `:`.
 */
import type { SurveyDisplay } from './display';
import type { ResponseFacts } from './response';

export type AggregateCellKind = 'total' | 'question' | 'choice' | 'segment' | 'funnel' | 'funnel-segment';

/**
 * Cells counted from displays, not responses: a rebuild from stored responses recomputes every other
 * kind and leaves these alone.
 */
export const FUNNEL_KINDS: readonly AggregateCellKind[] = ['funnel', 'funnel-segment'];

/** One aggregate cell of one day: what it adds (a response's share) or holds (the stored sum). */
export interface AggregateRow {
  day: string;
  kind: AggregateCellKind;
  /** The series (question, choice) or segment the cell is about; `''` for the day's total. */
  key: string;
  counts: Record<string, number>;
}

/** Identity of a cell, for summing rows in memory (not a storage key). */
export const cellId = (row: Pick<AggregateRow, 'day' | 'kind' | 'key'>) =>
  `${row.day}\u0000${row.kind}\u0000${row.key}`;

export function aggregateAdditions(facts: ResponseFacts, day: string): AggregateRow[] {
  const segment = facts.segment;
  const out: AggregateRow[] = [];
  const cell = (kind: AggregateCellKind, key: string, counts: Record<string, number>) =>
    out.push({ day, kind, key, counts });
  cell('total', '', { n: 1, comments: facts.comments, detractors: facts.detractor ? 1 : 0 });
  const overallValue = facts.overall !== undefined ? facts.rated[facts.overall] : undefined;
  for (const [series, value] of Object.entries(facts.rated)) {
    const add: Record<string, number> = { [`h:${value}`]: 1 };
    if (facts.overall !== undefined && overallValue !== undefined && series !== facts.overall) {
      add[`j:${facts.overall}:${value}:${overallValue}`] = 1;
    }
    cell('question', series, add);
  }
  for (const [series, option] of Object.entries(facts.choices)) cell('choice', series, { [`o:${option}`]: 1 });
  if (segment !== undefined) {
    const add: Record<string, number> = { n: 1, comments: facts.comments, detractors: facts.detractor ? 1 : 0 };
    for (const [series, value] of Object.entries(facts.rated)) {
      add[`h:${series}:${value}`] = 1;
      if (facts.overall !== undefined && overallValue !== undefined && series !== facts.overall) {
        add[`j:${series}:${facts.overall}:${value}:${overallValue}`] = 1;
      }
    }
    for (const [series, option] of Object.entries(facts.choices)) add[`o:${series}:${option}`] = 1;
    cell('segment', segment, add);
  }
  return out.map((a) => ({ ...a, counts: Object.fromEntries(Object.entries(a.counts).filter(([, n]) => n !== 0)) }));
}

/** Adds `rows` into `into` cell by cell (rebuilds and tests sum responses this way). */
export function sumRows(into: Map<string, AggregateRow>, rows: readonly AggregateRow[]): void {
  for (const row of rows) {
    const id = cellId(row);
    const target = into.get(id) ?? { day: row.day, kind: row.kind, key: row.key, counts: {} };
    for (const [k, n] of Object.entries(row.counts)) target.counts[k] = (target.counts[k] ?? 0) + n;
    into.set(id, target);
  }
}

/** Satisfaction of one response on a 0–100 scale (the customer's average satisfaction uses it). */
export function normalisedScore(score: { value: number; min: number; max: number }): number {
  return ((score.value - score.min) / (score.max - score.min)) * 100;
}

/** What one funnel event adds: a display (`shown`), or a drop-off at a question (`dismissed`). */
export function funnelAdditions(
  display: Pick<SurveyDisplay, 'event' | 'questionId' | 'segment' | 'day'>,
): AggregateRow[] {
  const counts: Record<string, number> =
    display.event === 'shown'
      ? { shown: 1 }
      : { dismissed: 1, ...(display.questionId !== undefined ? { [`d:${display.questionId}`]: 1 } : {}) };
  const rows: AggregateRow[] = [{ day: display.day, kind: 'funnel', key: '', counts }];
  if (display.segment !== undefined)
    rows.push({ day: display.day, kind: 'funnel-segment', key: display.segment, counts });
  return rows;
}
