/**
 * From a survey's daily aggregate rows to the histograms the drop detector and the digest compare:
 * per scope (all responses, or one declared segment) and per question, summed over a day range. The
 * same cells the report folds, so an alert or a digest can never count differently from the report.
 */
import type { AlertQuestions, DayRange, ScopeWindows } from '../alerts';
import type { Histogram } from '../statistics';
import type { AggregateRow } from '../surveys/aggregation';
import { seriesKey } from '../surveys/response';
import { overallQuestion, type Survey, scaleOf, type VersionedQuestion } from '../surveys/survey';

/** The questions behind each metric: the report's headline choices (CSAT: overall if Likert, else the first Likert). */
export function alertQuestionsOf(survey: Pick<Survey, 'questions'>): AlertQuestions {
  const overall = overallQuestion(survey.questions) as VersionedQuestion | undefined;
  const csatQ = overall && overall.type === 'likert' ? overall : survey.questions.find((q) => q.type === 'likert');
  const npsQ = survey.questions.find((q) => q.type === 'nps');
  const cesQ = survey.questions.find((q) => q.type === 'ces');
  const csatScale = csatQ ? scaleOf(csatQ) : undefined;
  const overallScale = overall ? scaleOf(overall) : undefined;
  return {
    ...(csatQ && csatScale ? { csat: { id: csatQ.id, scale: csatScale } } : {}),
    ...(npsQ ? { nps: { id: npsQ.id } } : {}),
    ...(cesQ ? { ces: { id: cesQ.id } } : {}),
    ...(overall && overallScale ? { overall: { id: overall.id, scale: overallScale } } : {}),
  };
}

function add(target: Record<string, Histogram>, questionId: string, point: string, n: number) {
  const hist = target[questionId] ?? {};
  hist[point] = (hist[point] ?? 0) + n;
  target[questionId] = hist;
}

/**
 * Histograms per question id of one scope over `range`: only the question's current series counts
 * (answers to an earlier, incompatible version are another series and left out, as in the report).
 */
export function scopeHistograms(
  survey: Pick<Survey, 'questions'>,
  rows: readonly AggregateRow[],
  range: DayRange,
  segment: string | null,
): Record<string, Histogram> {
  const idOfSeries = new Map(survey.questions.map((q) => [seriesKey(q), q.id]));
  const out: Record<string, Histogram> = {};
  for (const row of rows) {
    if (row.day < range.from || row.day > range.to) continue;
    if (segment === null && row.kind === 'question') {
      const id = idOfSeries.get(row.key);
      if (!id) continue;
      for (const [name, n] of Object.entries(row.counts)) if (name.startsWith('h:')) add(out, id, name.slice(2), n);
    } else if (segment !== null && row.kind === 'segment' && row.key === segment) {
      for (const [name, n] of Object.entries(row.counts)) {
        const [type, series, point] = name.split(':');
        const id = series === undefined ? undefined : idOfSeries.get(series);
        if (type === 'h' && id && point !== undefined) add(out, id, point, n);
      }
    }
  }
  return out;
}

/** Every scope the detector judges — all responses and each declared segment — over both windows. */
export function scopeWindows(
  survey: Pick<Survey, 'questions' | 'delivery'>,
  rows: readonly AggregateRow[],
  windows: { current: DayRange; baseline: DayRange },
): ScopeWindows[] {
  const segments: (string | null)[] = [null, ...(survey.delivery.segments ?? [])];
  return segments.map((segment) => ({
    segment,
    current: scopeHistograms(survey, rows, windows.current, segment),
    baseline: scopeHistograms(survey, rows, windows.baseline, segment),
  }));
}
