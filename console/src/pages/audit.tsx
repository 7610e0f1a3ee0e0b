/**
 * The audit log, for admins: every admin write and every read of personal data, newest first, with
 * filters (time range, actor, customer id, outcome), "load more" paging by cursor, and a check of the
 * hash chain that says plainly whether it is intact or where it breaks. Analysts are told the log is
 * for admins only (the API refuses them too) instead of being shown an error.
 */
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { fromLocalInput, shortDateTime } from '../state/instants';
import { useLoad } from '../state/use-load';
import { ScrollRegion } from '../trust/scroll-region';
import { Badge } from '../ui/badge';
import { Field } from '../ui/field';
import { LoadError, Loading, Notice } from '../ui/notice';
import { Page } from '../ui/page';

type Entry = Schemas['AuditEntry'];
type ChainCheck = Schemas['AuditChainCheck'];
type Outcome = 'success' | 'refused' | 'failed';

interface Filters {
  from: string;
  to: string;
  actor: string;
  customer: string;
  outcome: '' | Outcome;
}
const NO_FILTERS: Filters = { from: '', to: '', actor: '', customer: '', outcome: '' };

/** The filters as the API's query (empty ones left out). */
function queryOf(f: Filters) {
  const from = fromLocalInput(f.from);
  const to = fromLocalInput(f.to);
  return {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(f.actor.trim() ? { actor: f.actor.trim() } : {}),
    ...(f.customer.trim() ? { customer: f.customer.trim().toUpperCase() } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
  };
}

const outcomeOf = (status: number): Outcome => (status >= 500 ? 'failed' : status >= 400 ? 'refused' : 'success');
const OUTCOME_TONE = { success: 'good', refused: 'warn', failed: 'bad' } as const;

export default function Audit() {
  if (!isAdmin.value) {
    return (
      <Page title={t('audit.title')}>
        <Notice tone="info">
          <p>{t('audit.adminsOnly')}</p>
        </Notice>
      </Page>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const [form, setForm] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [more, setMore] = useState<{ items: Entry[]; cursor?: string | undefined }>({ items: [] });
  const [moreError, setMoreError] = useState<ApiError | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);

  const first = useLoad(async () => {
    const { data } = await call(() => api.GET('/v1/audit', { params: { query: { ...queryOf(applied), limit: 50 } } }));
    setMore({ items: [], cursor: data.nextCursor });
    return data.items;
  }, [JSON.stringify(applied)]);

  async function loadMore() {
    if (!more.cursor) return;
    const cursor = more.cursor;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const { data } = await call(() =>
        api.GET('/v1/audit', { params: { query: { ...queryOf(applied), limit: 50, cursor } } }),
      );
      setMore((m) => ({ items: [...m.items, ...data.items], cursor: data.nextCursor }));
    } catch (e) {
      setMoreError(asApiError(e));
    } finally {
      setLoadingMore(false);
    }
  }

  /** New filters: the pages loaded under the old ones go at once, so no row of another filter is shown. */
  function apply(filters: Filters) {
    setMore({ items: [] });
    setMoreError(undefined);
    setApplied(filters);
  }

  const stale = first.state === 'loading';
  const entries = stale ? [] : [...(first.data ?? []), ...more.items];
  const set = (patch: Partial<Filters>) => setForm((f) => ({ ...f, ...patch }));

  return (
    <Page title={t('audit.title')} subtitle={t('audit.subtitle')}>
      <form
        class="card filters"
        aria-label={t('audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(form);
        }}
      >
        <Field id="audit-from" label={t('abuse.from')} hint={t('audit.rangeHint')}>
          <input type="datetime-local" value={form.from} onInput={(e) => set({ from: e.currentTarget.value })} />
        </Field>
        <Field id="audit-to" label={t('abuse.to')}>
          <input type="datetime-local" value={form.to} onInput={(e) => set({ to: e.currentTarget.value })} />
        </Field>
        <Field id="audit-actor" label={t('audit.actor')} hint={t('audit.actorHint')}>
          <input type="text" value={form.actor} onInput={(e) => set({ actor: e.currentTarget.value })} />
        </Field>
        <Field id="audit-customer" label={t('audit.customer')} hint={t('audit.customerHint')}>
          <input
            type="text"
            spellcheck={false}
            value={form.customer}
            onInput={(e) => set({ customer: e.currentTarget.value })}
          />
        </Field>
        <Field id="audit-outcome" label={t('audit.outcome')}>
          <select value={form.outcome} onChange={(e) => set({ outcome: e.currentTarget.value as Filters['outcome'] })}>
            <option value="">{t('audit.anyOutcome')}</option>
            <option value="success">{t('audit.outcome.success')}</option>
            <option value="refused">{t('audit.outcome.refused')}</option>
            <option value="failed">{t('audit.outcome.failed')}</option>
          </select>
        </Field>
        <div class="row end filter-actions">
          <button type="submit" class="btn btn-primary">
            {t('customers.applyFilters')}
          </button>
          <button
            type="button"
            class="btn btn-ghost"
            onClick={() => {
              setForm(NO_FILTERS);
              apply(NO_FILTERS);
            }}
          >
            {t('customers.clearFilters')}
          </button>
        </div>
      </form>

      <VerifyChain range={queryOf(applied)} />

      {first.state === 'error' && <LoadError error={first.error} onRetry={first.reload} />}
      {stale && <Loading />}
      {first.data && !stale && (
        <section class="card stack" aria-labelledby="audit-entries">
          <h2 id="audit-entries">{t('audit.entries')}</h2>
          <p role="status">{t('audit.shown', { n: entries.length })}</p>
          {entries.length === 0 ? (
            <p class="muted">{t('audit.none')}</p>
          ) : (
            <ScrollRegion label={t('audit.entries')}>
              <table class="audit">
                <caption class="sr-only">{t('audit.entries')}</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t('audit.time')}</th>
                    <th scope="col">{t('audit.action')}</th>
                    <th scope="col">{t('audit.outcome')}</th>
                    <th scope="col">{t('audit.actor')}</th>
                    <th scope="col">{t('audit.target')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <AuditRow key={e.seq} entry={e} />
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
          {moreError && <LoadError error={moreError} onRetry={() => void loadMore()} />}
          {more.cursor && (
            <button type="button" class="btn btn-secondary" disabled={loadingMore} onClick={() => void loadMore()}>
              {loadingMore ? t('state.loading') : t('comments.more')}
            </button>
          )}
        </section>
      )}
    </Page>
  );
}

function AuditRow({ entry: e }: { entry: Entry }) {
  const outcome = outcomeOf(e.status);
  const ids = Object.entries(e.ids);
  return (
    <tr>
      <th scope="row" class="num">
        {e.seq}
      </th>
      <td class="nowrap">
        <time dateTime={e.at}>{shortDateTime(e.at)}</time>
      </td>
      <td>
        <span class="audit-op">{e.operation}</span>
        <br />
        <code class="small">
          {e.method} {e.path}
        </code>
        {e.kind === 'personal-data' && (
          <>
            {' '}
            <Badge tone="info">{t('audit.personalData')}</Badge>
          </>
        )}
      </td>
      <td>
        <Badge tone={OUTCOME_TONE[outcome]}>{t(`audit.outcome.${outcome}`)}</Badge>{' '}
        <span class="small">
          {e.status}
          {e.replayed ? ` · ${t('audit.replayed')}` : ''}
        </span>
      </td>
      <td>
        {e.actor}
        <br />
        <span class="muted small">{e.roles.join(', ')}</span>
      </td>
      <td>
        {ids.length === 0
          ? '—'
          : ids.map(([k, v]) => (
              <span key={k} class="attr target">
                {k}: <code>{v}</code>
              </span>
            ))}
      </td>
    </tr>
  );
}

function VerifyChain({ range }: { range: { from?: string; to?: string } }) {
  const [result, setResult] = useState<ChainCheck | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const query = { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) };
      setResult((await call(() => api.GET('/v1/audit/verify', { params: { query } }))).data);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card stack" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('audit.verifyTitle')}</h2>
      <p class="hint">{t('audit.verifyHint')}</p>
      <div class="row">
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void verify()}>
          {busy ? t('state.working') : t('audit.verify')}
        </button>
      </div>
      <div aria-live="polite">
        {result &&
          (result.broken ? (
            <Notice tone="error">
              <p>
                <strong>{t('audit.broken', { seq: result.broken.seq })}</strong> {result.broken.reason}
              </p>
              <p class="small">
                {t('audit.checkedRange', { from: fmt.dateTime(result.from), to: fmt.dateTime(result.to) })}
              </p>
            </Notice>
          ) : (
            <Notice tone="success">
              <p>
                <strong>{t('audit.intact')}</strong>{' '}
                {result.checked === 0
                  ? t('audit.nothingToCheck')
                  : t('audit.checked', { n: result.checked, first: result.firstSeq ?? '', last: result.lastSeq ?? '' })}
              </p>
              <p class="small">
                {t('audit.checkedRange', { from: fmt.dateTime(result.from), to: fmt.dateTime(result.to) })}
              </p>
            </Notice>
          ))}
      </div>
      {error && <LoadError error={error} onRetry={() => void verify()} />}
    </section>
  );
}
