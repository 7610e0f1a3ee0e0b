/**
 * Each question's answers: diverging stacked bars for Likert and CES (unfavourable to the left of
 * zero, the neutral point split across it), the NPS composition (detractors, passives, promoters),
 * bars for single choice; each with its table.
 */
import type { QuestionFigure, Survey, SurveyReport } from '../api/types';
import { fmt, localText, t } from '../i18n/i18n';
import { Badge } from '../ui/badge';
import { Chart } from '../ui/chart';
import { DataTable } from '../ui/data-table';

const DIVERGING: Record<number, readonly string[]> = {
  5: ['#b3261e', '#e08a7e', '#b8bcc3', '#7ea2e3', '#2457d6'],
  7: ['#8f1d17', '#c6463a', '#eba195', '#b8bcc3', '#93b4ec', '#4a78dd', '#1c45ad'],
};
export const NPS_COLORS = { detractors: '#b3261e', passives: '#6b717a', promoters: '#1e7d4f' } as const;

type Rated = Extract<QuestionFigure, { type: 'likert' | 'nps' | 'ces' }>;
type Choice = Extract<QuestionFigure, { type: 'single_choice' }>;
const isRated = (f: QuestionFigure): f is Rated => f.type === 'likert' || f.type === 'nps' || f.type === 'ces';
const isChoice = (f: QuestionFigure): f is Choice => f.type === 'single_choice';
interface LikertRow {
  question: string;
  answer: string;
  rank: number;
  share: number;
  tone: 'neg' | 'mid' | 'pos';
}
type Definition = Survey['questions'][number];

function pointLabels(figure: Rated, definition: Definition | undefined): string[] {
  const values = figure.distribution.map((d) => d.value);
  if (definition?.type === 'likert' && definition.labels?.length === values.length)
    return definition.labels.map((l, i) => `${values[i]} ${localText(l)}`);
  const ends = figure.type === 'ces' ? t('scale.ces') : t('scale.likert');
  const [low, high] = ends.split('|');
  return values.map((v, i) => (i === 0 ? `${v} ${low}` : i === values.length - 1 ? `${v} ${high}` : String(v)));
}

function LikertChart({
  figure,
  definition,
  title,
}: {
  figure: Rated;
  definition: Definition | undefined;
  title: string;
}) {
  const answers = pointLabels(figure, definition);
  const size = answers.length;
  const colors = DIVERGING[size] ?? DIVERGING[5] ?? [];
  const middle = (size - 1) / 2;
  const rows = figure.distribution.flatMap((d, i): LikertRow[] => {
    const share = d.share ?? 0;
    const answer = answers[i] ?? String(d.value);
    if (i < middle) return [{ question: title, answer, rank: i, share: -share, tone: 'neg' }];
    if (i > middle) return [{ question: title, answer, rank: i, share, tone: 'pos' }];
    return [
      { question: title, answer, rank: i, share: -share / 2, tone: 'mid' },
      { question: title, answer, rank: i, share: share / 2, tone: 'mid' },
    ];
  });
  const label = t('results.distributionLabel', { question: title });
  return (
    <Chart
      label={label}
      deps={[figure, answers.join()]}
      height={150}
      draw={(c, width) => c.likert(rows, { width, label, answers, colors, axisLabel: t('results.shareOfAnswers') })}
    />
  );
}

function NpsChart({ figure, nps, title }: { figure: Rated; nps: SurveyReport['nps']; title: string }) {
  const n = figure.n || 1;
  const count = (from: number, to: number) =>
    figure.distribution.filter((d) => d.value >= from && d.value <= to).reduce((s, d) => s + d.count, 0);
  const parts = [
    { label: t('nps.detractors'), share: count(0, 6) / n, color: NPS_COLORS.detractors },
    { label: t('nps.passives'), share: count(7, 8) / n, color: NPS_COLORS.passives },
    { label: t('nps.promoters'), share: count(9, 10) / n, color: NPS_COLORS.promoters },
  ];
  const label = t('results.npsLabel', { question: title });
  return (
    <>
      {nps && figure.n > 0 && (
        <p class="legend">
          {parts.map((p) => (
            <span key={p.label} class="legend-item">
              <span class="swatch" aria-hidden="true" style={{ background: p.color }} />
              {p.label} {fmt.percent(p.share)}
            </span>
          ))}
        </p>
      )}
      <Chart label={label} deps={[figure]} height={84} draw={(c, width) => c.composition(parts, { width, label })} />
    </>
  );
}

function ChoiceChart({
  figure,
  definition,
  title,
}: {
  figure: Choice;
  definition: Definition | undefined;
  title: string;
}) {
  const options = definition?.type === 'single_choice' ? definition.options : [];
  const rows = figure.distribution.map((d) => ({
    label: localText(options.find((o) => o.id === d.value)?.label) || d.value,
    count: d.count,
    share: d.share ?? 0,
  }));
  const label = t('results.distributionLabel', { question: title });
  return (
    <>
      <Chart
        label={label}
        deps={[figure]}
        height={40 + rows.length * 30}
        draw={(c, width) => c.bars(rows, { width, label, axisLabel: t('results.shareOfAnswers') })}
      />
      <DataTable
        caption={label}
        columns={[t('results.answer'), t('results.count'), t('results.share')]}
        rows={rows.map((r) => [r.label, fmt.int(r.count), fmt.percent(r.share, 1)])}
      />
    </>
  );
}

export function Distributions({ report, survey }: { report: SurveyReport; survey: Survey }) {
  return (
    <section class="stack" aria-labelledby="distributions-title">
      <h2 id="distributions-title" class="section-title">
        {t('results.distributions')}
      </h2>
      <div class="grid-2">
        {report.questions.map((figure) => {
          const definition = survey.questions.find((q) => q.id === figure.questionId);
          const title = definition ? localText(definition.text) : figure.questionId;
          if (!isRated(figure) && !isChoice(figure)) return null;
          return (
            <article class="card stack" key={figure.series}>
              <header>
                <h3>{title}</h3>
                <p class="muted small">
                  {t(`qtype.${figure.type}`)} · {t('stats.n', { n: figure.n })}
                  {isRated(figure) && figure.mean !== null && (
                    <>
                      {' '}
                      · {t('results.mean')} {fmt.number(figure.mean, 2)}
                      {figure.ci95 && ` (${fmt.number(figure.ci95.low, 2)} – ${fmt.number(figure.ci95.high, 2)})`}
                    </>
                  )}{' '}
                  {figure.lowSample && figure.n > 0 && <Badge tone="warn">{t('stats.lowSample')}</Badge>}
                  {figure.comparableSinceVersion > 1 && (
                    <Badge tone="info">{t('results.sinceVersion', { v: figure.comparableSinceVersion })}</Badge>
                  )}
                </p>
              </header>
              {figure.n === 0 ? (
                <p class="muted">{t('results.noAnswers')}</p>
              ) : isChoice(figure) ? (
                <ChoiceChart figure={figure} definition={definition} title={title} />
              ) : (
                <>
                  {figure.type === 'nps' ? (
                    <NpsChart figure={figure} nps={report.nps} title={title} />
                  ) : (
                    <LikertChart figure={figure} definition={definition} title={title} />
                  )}
                  <DataTable
                    caption={t('results.distributionLabel', { question: title })}
                    columns={[t('results.answer'), t('results.count'), t('results.share')]}
                    rows={figure.distribution.map((d, i) => [
                      figure.type === 'nps' ? String(d.value) : (pointLabels(figure, definition)[i] ?? String(d.value)),
                      fmt.int(d.count),
                      fmt.percent(d.share, 1),
                    ])}
                  />
                </>
              )}
            </article>
          );
        })}
      </div>
    </section>
  );
}
