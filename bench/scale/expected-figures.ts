/**
 * The headline figures recomputed in memory straight from the answers — histograms counted here,
 * figures from the statistics module — without the aggregation code, so a report read back from
 * DynamoDB can be checked against them.
 */

import { ces, csat, describeScale, type Histogram, nps } from '../../functions/domain/statistics';
import type { Answers } from '../../functions/domain/surveys/answers';
import { seriesKey } from '../../functions/domain/surveys/response';
import { overallQuestion, scaleOf, type VersionedQuestion } from '../../functions/domain/surveys/survey';
import { isRated } from '../../functions/domain/surveys/survey-schema';

export interface ExpectedFigures {
  responses: number;
  csat: unknown;
  nps: unknown;
  ces: unknown;
  /** describeScale of every rated question, by series. */
  rated: Record<string, unknown>;
  /** Choice counts of every single-choice question, by series. */
  choices: Record<string, Record<string, number>>;
}

export function expectedFigures(questions: readonly VersionedQuestion[], answers: readonly Answers[]): ExpectedFigures {
  const hist = new Map<string, Histogram>();
  const choices: Record<string, Record<string, number>> = {};
  for (const a of answers) {
    for (const q of questions) {
      const value = a[q.id];
      if (isRated(q) && typeof value === 'number') {
        const h = hist.get(seriesKey(q)) ?? {};
        h[String(value)] = (h[String(value)] ?? 0) + 1;
        hist.set(seriesKey(q), h);
      }
      if (q.type === 'single_choice' && typeof value === 'string') {
        const c = choices[seriesKey(q)] ?? {};
        c[value] = (c[value] ?? 0) + 1;
        choices[seriesKey(q)] = c;
      }
    }
  }
  const of = (q: VersionedQuestion | undefined) => (q ? (hist.get(seriesKey(q)) ?? {}) : {});
  const overall = overallQuestion(questions) as VersionedQuestion | undefined;
  const csatQ = overall?.type === 'likert' ? overall : questions.find((q) => q.type === 'likert');
  const csatScale = csatQ ? scaleOf(csatQ) : undefined;
  const npsQ = questions.find((q) => q.type === 'nps');
  const cesQ = questions.find((q) => q.type === 'ces');
  const rated: Record<string, unknown> = {};
  for (const q of questions) {
    const scale = scaleOf(q);
    if (isRated(q) && scale) rated[seriesKey(q)] = describeScale(of(q), scale);
  }
  return {
    responses: answers.length,
    csat: csatQ && csatScale ? { questionId: csatQ.id, ...csat(of(csatQ), csatScale) } : null,
    nps: npsQ ? { questionId: npsQ.id, ...nps(of(npsQ)) } : null,
    ces: cesQ ? { questionId: cesQ.id, ...ces(of(cesQ)) } : null,
    rated,
    choices,
  };
}
