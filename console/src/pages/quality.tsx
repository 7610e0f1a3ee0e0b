/**
 * The data-quality report: completeness per field, invalid e-mails and phones, stale records, and the
 * duplicate candidates (same name and company), which admins merge here: pick the record to keep,
 * merge the others into it.
 */
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import type { Customer, QualityReport } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { useLoad } from '../state/use-load';
import { DataTable } from '../ui/data-table';
import { Field } from '../ui/field';
import { explain, LoadError, Loading } from '../ui/notice';
import { Page } from '../ui/page';
import { toast } from '../ui/toasts';

export default function Quality() {
  const [staleDays, setStaleDays] = useState(180);
  const [input, setInput] = useState('180');
  const load = useLoad(
    async () => (await call(() => api.GET('/v1/customers/quality', { params: { query: { staleDays } } }))).data,
    [staleDays],
  );
  return (
    <Page title={t('quality.title')} subtitle={t('quality.subtitle')}>
      {load.state === 'error' && <LoadError error={load.error} onRetry={load.reload} />}
      {!load.data && load.state === 'loading' && <Loading />}
      {load.data && (
        <>
          <div class="tiles">
            <div class="tile">
              <p class="tile-label">{t('quality.total')}</p>
              <p class="tile-value">{fmt.int(load.data.total)}</p>
            </div>
            {Object.entries(load.data.invalid).map(([field, n]) => (
              <div class="tile" key={field}>
                <p class="tile-label">
                  {t('quality.invalid', { field: t(`customer.${field === 'phone' ? 'phone' : 'email'}`) })}
                </p>
                <p class="tile-value">{fmt.int(n)}</p>
              </div>
            ))}
            <div class="tile">
              <p class="tile-label">{t('quality.stale', { days: load.data.stale.days })}</p>
              <p class="tile-value">{fmt.int(load.data.stale.count)}</p>
              <p class="tile-meta">{t('quality.before', { date: fmt.date(load.data.stale.before) })}</p>
            </div>
          </div>
          <form
            class="card controls"
            onSubmit={(e) => {
              e.preventDefault();
              const n = Math.round(Number(input));
              if (n >= 1 && n <= 3650) setStaleDays(n);
            }}
          >
            <Field id="stale-days" label={t('quality.staleDays')}>
              <input type="number" min={1} max={3650} value={input} onInput={(e) => setInput(e.currentTarget.value)} />
            </Field>
            <button type="submit" class="btn btn-secondary">
              {t('quality.update')}
            </button>
          </form>
          <Completeness report={load.data} />
          <Duplicates report={load.data} onMerged={load.reload} />
        </>
      )}
    </Page>
  );
}

function Completeness({ report }: { report: QualityReport }) {
  const rows = Object.entries(report.completeness);
  return (
    <section class="card stack" aria-labelledby="completeness-title">
      <h2 id="completeness-title">{t('quality.completeness')}</h2>
      <ul class="meters">
        {rows.map(([field, c]) => (
          <li key={field}>
            <span class="meter-label">{t(`customer.${field}` as 'customer.name')}</span>
            <meter
              min={0}
              max={100}
              value={100 - c.missingPercent}
              aria-label={t(`customer.${field}` as 'customer.name')}
            />
            <span class="meter-value">
              {t('quality.filled', { percent: fmt.number(100 - c.missingPercent, 1), missing: fmt.int(c.missing) })}
            </span>
          </li>
        ))}
      </ul>
      <DataTable
        caption={t('quality.completeness')}
        columns={[t('quality.field'), t('quality.missing'), t('quality.missingPercent')]}
        rows={rows.map(([field, c]) => [
          t(`customer.${field}` as 'customer.name'),
          fmt.int(c.missing),
          `${fmt.number(c.missingPercent, 1)}%`,
        ])}
      />
    </section>
  );
}

function Duplicates({ report, onMerged }: { report: QualityReport; onMerged: () => void }) {
  return (
    <section class="card stack" aria-labelledby="duplicates-title">
      <h2 id="duplicates-title">{t('quality.duplicates')}</h2>
      {report.duplicateCandidates.length === 0 ? (
        <p class="muted">{t('quality.noDuplicates')}</p>
      ) : (
        report.duplicateCandidates.map((group) => (
          <DuplicateGroup key={group.customerIds.join()} group={group} onMerged={onMerged} />
        ))
      )}
    </section>
  );
}

function DuplicateGroup({
  group,
  onMerged,
}: {
  group: QualityReport['duplicateCandidates'][number];
  onMerged: () => void;
}) {
  const members = useLoad(
    () =>
      Promise.all(
        group.customerIds.map(
          async (id) =>
            (await call(() => api.GET('/v1/customers/{id}', { params: { path: { id } } }))).data as Customer,
        ),
      ),
    [group.customerIds.join()],
  );
  const [primary, setPrimary] = useState(group.customerIds[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  async function merge() {
    const list = members.data ?? [];
    const first = list.find((c) => c.id === primary);
    if (!first) return;
    setBusy(true);
    setError(undefined);
    try {
      let keep: Customer = first;
      for (const other of list.filter((c) => c.id !== primary)) {
        const { id, version }: Customer = keep;
        const merged = await call(() =>
          api.POST('/v1/customers/{id}/merge', {
            params: { path: { id }, header: { 'If-Match': `"${version}"` } },
            body: { duplicateId: other.id },
          }),
        );
        keep = merged.data;
      }
      toast(t('quality.merged'));
      onMerged();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const name = `${group.name}${group.company ? ` · ${group.company}` : ''}`;
  return (
    <fieldset class="duplicate-group">
      <legend>{t('quality.group', { name, n: group.customerIds.length })}</legend>
      {members.state === 'error' && <LoadError error={members.error} onRetry={members.reload} />}
      {!members.data ? (
        <Loading />
      ) : (
        <ul class="plain">
          {members.data.map((c) => (
            <li key={c.id} class="row wrap">
              {isAdmin.value && (
                <label class="check">
                  <input
                    type="radio"
                    name={`keep-${group.customerIds.join()}`}
                    checked={primary === c.id}
                    onChange={() => setPrimary(c.id)}
                  />
                  {t('quality.keep')}
                </label>
              )}
              <a href={`/customers/${c.id}`}>{c.name ?? c.id}</a>
              <span class="muted">{[c.email, c.phone, fmt.date(c.createdAt)].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
      {isAdmin.value && members.data && (
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void merge()}>
          {t('quality.merge')}
        </button>
      )}
      {error && (
        <p class="field-error" role="alert">
          {explain(error)}
        </p>
      )}
    </fieldset>
  );
}
