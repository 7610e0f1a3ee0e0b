/**
 * What customers wrote, newest first, with the scores they gave: filter by the headline score, search
 * the text, page on with the API's cursor. Text is shown as text, verbatim.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import type { CommentPage, Survey } from '../api/types';
import { fmt, localText, t } from '../i18n/i18n';
import { Badge } from '../ui/badge';
import { Field } from '../ui/field';
import { LoadError, Loading } from '../ui/notice';

type Comment = CommentPage['items'][number];

export function Comments({ survey, range }: { survey: Survey; range: { from: string; to: string } }) {
  const [maxScore, setMaxScore] = useState('');
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<Comment[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [state, setState] = useState<'loading' | 'ready' | 'more'>('loading');
  const [error, setError] = useState<ApiError | undefined>();
  const [round, setRound] = useState(0);

  async function fetchPage(after: string | undefined) {
    const { data } = await call(() =>
      api.GET('/v1/surveys/{id}/comments', {
        params: {
          path: { id: survey.id },
          query: {
            ...range,
            limit: 20,
            ...(after ? { cursor: after } : {}),
            ...(maxScore !== '' ? { maxScore: Number(maxScore) } : {}),
          },
        },
      }),
    );
    return data;
  }

  useEffect(() => {
    let stale = false;
    setState('loading');
    setError(undefined);
    fetchPage(undefined).then(
      (page) => {
        if (stale) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setState('ready');
      },
      (e: unknown) => {
        if (stale) return;
        setError(asApiError(e));
        setState('ready');
      },
    );
    return () => {
      stale = true;
    };
  }, [survey.id, range.from, range.to, maxScore, round]);

  async function more() {
    setState('more');
    try {
      const page = await fetchPage(cursor);
      setItems((old) => [...old, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setState('ready');
    }
  }

  const needle = search.trim().toLowerCase();
  const shown = needle
    ? items.filter((c) => Object.values(c.comments).some((text) => text.toLowerCase().includes(needle)))
    : items;
  const questionText = (id: string) => {
    const q = survey.questions.find((x) => x.id === id);
    return q ? localText(q.text) : id;
  };

  return (
    <section class="card stack" aria-labelledby="comments-title">
      <h2 id="comments-title">{t('results.comments')}</h2>
      <div class="filters">
        <Field id="comments-score" label={t('comments.maxScore')}>
          <select value={maxScore} onChange={(e) => setMaxScore(e.currentTarget.value)}>
            <option value="">{t('comments.anyScore')}</option>
            {Array.from({ length: 11 }, (_, i) => (
              <option key={i} value={String(i)}>
                {t('comments.atMost', { n: i })}
              </option>
            ))}
          </select>
        </Field>
        <Field id="comments-search" label={t('comments.search')} hint={t('comments.searchHint')}>
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </Field>
      </div>
      {error && <LoadError error={error} onRetry={() => setRound(round + 1)} />}
      {state === 'loading' ? (
        <Loading />
      ) : shown.length === 0 ? (
        <p class="muted">{t('comments.none')}</p>
      ) : (
        <ol class="comments">
          {shown.map((c) => (
            <li key={c.responseId} class="comment" id={`response-${c.responseId}`}>
              <p class="comment-meta">
                <time dateTime={c.receivedAt}>{fmt.dateTime(c.receivedAt)}</time>
                {c.score && (
                  <Badge
                    tone={
                      c.score.value <= c.score.min + 1 || (c.score.max === 10 && c.score.value <= 6) ? 'bad' : 'neutral'
                    }
                  >
                    {t('comments.score', { value: c.score.value, max: c.score.max })}
                  </Badge>
                )}
                {c.segment && <Badge>{c.segment}</Badge>}
                <span class="muted">{c.locale}</span>
                {c.customerId && <a href={`/customers/${c.customerId}`}>{t('comments.customer')}</a>}
              </p>
              {Object.entries(c.comments).map(([id, text]) => (
                <blockquote key={id} cite={undefined}>
                  <p class="comment-q">{questionText(id)}</p>
                  <p class="comment-text">{text}</p>
                </blockquote>
              ))}
            </li>
          ))}
        </ol>
      )}
      {cursor && state !== 'loading' && (
        <button type="button" class="btn btn-secondary" disabled={state === 'more'} onClick={() => void more()}>
          {state === 'more' ? t('state.loading') : t('comments.more')}
        </button>
      )}
      <p class="sr-only" role="status">
        {state === 'ready' ? t('comments.shown', { n: shown.length }) : ''}
      </p>
    </section>
  );
}
