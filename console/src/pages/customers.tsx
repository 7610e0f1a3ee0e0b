/**
 * Customers: the list in creation order with filters (segment, tag, updated since), lookup by e-mail
 * or phone, paging by cursor; for admins, new customer and import; export for everyone.
 */

import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import type { Customer } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { exportCustomers } from '../state/exports';
import { Badge } from '../ui/badge';
import { Field } from '../ui/field';
import { explain, LoadError, Loading } from '../ui/notice';
import { Page } from '../ui/page';
import { toast } from '../ui/toasts';

export default function Customers() {
  const { path, query, route } = useLocation();
  const filters = { segment: query.segment ?? '', tag: query.tag ?? '', updatedSince: query.updatedSince ?? '' };
  const [form, setForm] = useState(filters);
  const [items, setItems] = useState<Customer[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | undefined>();
  const [round, setRound] = useState(0);

  async function page(after?: string) {
    const { data } = await call(() =>
      api.GET('/v1/customers', {
        params: {
          query: {
            limit: 50,
            ...(filters.segment ? { segment: filters.segment } : {}),
            ...(filters.tag ? { tag: filters.tag } : {}),
            ...(filters.updatedSince
              ? { updatedSince: new Date(`${filters.updatedSince}T00:00:00Z`).toISOString() }
              : {}),
            ...(after ? { cursor: after } : {}),
          },
        },
      }),
    );
    return data;
  }

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(undefined);
    page().then(
      (data) => {
        if (stale) return;
        setItems(data.items);
        setCursor(data.nextCursor);
        setLoading(false);
      },
      (e: unknown) => {
        if (stale) return;
        setError(asApiError(e));
        setLoading(false);
      },
    );
    return () => {
      stale = true;
    };
  }, [filters.segment, filters.tag, filters.updatedSince, round]);

  const apply = (next: typeof filters) => {
    const q = new URLSearchParams(Object.entries(next).filter(([, v]) => v));
    route(q.size ? `${path}?${q}` : path, true);
  };

  return (
    <Page
      title={t('customers.title')}
      subtitle={t('customers.subtitle')}
      actions={
        <>
          <ExportMenu />
          {isAdmin.value && (
            <>
              <a class="btn btn-secondary" href="/customers/import">
                {t('customers.import')}
              </a>
              <a class="btn btn-primary" href="/customers/new">
                {t('customers.new')}
              </a>
            </>
          )}
        </>
      }
    >
      <Lookup />
      <form
        class="card controls"
        aria-label={t('customers.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(form);
        }}
      >
        <Field id="filter-segment" label={t('customer.segment')}>
          <input
            type="text"
            value={form.segment}
            onInput={(e) => setForm({ ...form, segment: e.currentTarget.value })}
          />
        </Field>
        <Field id="filter-tag" label={t('customer.tag')}>
          <input type="text" value={form.tag} onInput={(e) => setForm({ ...form, tag: e.currentTarget.value })} />
        </Field>
        <Field id="filter-updated" label={t('customers.updatedSince')}>
          <input
            type="date"
            value={form.updatedSince}
            onInput={(e) => setForm({ ...form, updatedSince: e.currentTarget.value })}
          />
        </Field>
        <div class="row end">
          <button type="submit" class="btn btn-secondary">
            {t('customers.applyFilters')}
          </button>
          {(filters.segment || filters.tag || filters.updatedSince) && (
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                const empty = { segment: '', tag: '', updatedSince: '' };
                setForm(empty);
                apply(empty);
              }}
            >
              {t('customers.clearFilters')}
            </button>
          )}
        </div>
      </form>
      {error && <LoadError error={error} onRetry={() => setRound(round + 1)} />}
      {loading ? (
        <Loading />
      ) : items.length === 0 ? (
        <p class="empty">{t('customers.none')}</p>
      ) : (
        <div class="table-wrap card">
          <table>
            <caption class="sr-only">{t('customers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customer.name')}</th>
                <th scope="col">{t('customer.email')}</th>
                <th scope="col">{t('customer.phone')}</th>
                <th scope="col">{t('customer.company')}</th>
                <th scope="col">{t('customer.segment')}</th>
                <th scope="col">{t('customer.tags')}</th>
                <th scope="col">{t('customer.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={`/customers/${c.id}`}>{c.name ?? c.email ?? c.phone ?? c.id}</a>
                  </th>
                  <td>{c.email ?? '—'}</td>
                  <td>{c.phone ?? '—'}</td>
                  <td>{c.company ?? '—'}</td>
                  <td>{c.segment ?? '—'}</td>
                  <td>
                    {c.tags.map((tag) => (
                      <Badge key={tag}>{tag}</Badge>
                    ))}
                  </td>
                  <td>{fmt.date(c.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && !loading && (
        <button
          type="button"
          class="btn btn-secondary"
          onClick={() =>
            void page(cursor).then(
              (data) => {
                setItems((old) => [...old, ...data.items]);
                setCursor(data.nextCursor);
              },
              (e: unknown) => setError(asApiError(e)),
            )
          }
        >
          {t('comments.more')}
        </button>
      )}
    </Page>
  );
}

function Lookup() {
  const { route } = useLocation();
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card lookup"
      aria-label={t('customers.lookup')}
      onSubmit={(e) => {
        e.preventDefault();
        const v = value.trim();
        if (!v) return;
        setBusy(true);
        setError('');
        const query = v.includes('@') ? { email: v } : { phone: v };
        call(() => api.GET('/v1/customers/lookup', { params: { query } })).then(
          ({ data }) => route(`/customers/${data.id}`),
          (err: unknown) => {
            const a = asApiError(err);
            setError(a.kind === 'not-found' ? t('customers.lookupNone') : explain(a));
            setBusy(false);
          },
        );
      }}
    >
      <Field id="lookup" label={t('customers.lookup')} hint={t('customers.lookupHint')} error={error || undefined}>
        <input type="search" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </Field>
      <button type="submit" class="btn btn-secondary" disabled={busy}>
        {t('customers.find')}
      </button>
    </form>
  );
}

function ExportMenu() {
  const [busy, setBusy] = useState(false);
  const run = (format: 'csv' | 'jsonl') => {
    setBusy(true);
    exportCustomers(format)
      .then(
        () => toast(t('customers.exported')),
        (e: unknown) => toast(explain(asApiError(e)), 'error'),
      )
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => run('csv')}>
        {t('customers.exportCsv')}
      </button>
      <button type="button" class="btn btn-ghost" disabled={busy} onClick={() => run('jsonl')}>
        {t('customers.exportJsonl')}
      </button>
    </>
  );
}
