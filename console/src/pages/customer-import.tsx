/**
 * CSV import: choose a file, watch it upload, read the per-row report (created, updated, unchanged,
 * rejected with reasons, not imported), and download the rejected rows — exactly as they were sent,
 * with the header — to fix and import again. When the database stopped answering part-way, the rows
 * not imported can be sent again by themselves.
 */

import { useRef, useState } from 'preact/hooks';
import { apiUrl, authHeaders } from '../api/client';
import { ApiError, type Problem } from '../api/errors';
import type { ImportReport } from '../api/types';
import { isAdmin, renew, sessionExpired } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { csvRecords } from '../state/csv';
import { Badge } from '../ui/badge';
import { download } from '../ui/download';
import { Field } from '../ui/field';
import { explain, Notice } from '../ui/notice';
import { Page } from '../ui/page';
import { Segmented } from '../ui/segmented';

const MAX_ROWS = 1000;

function upload(csv: string, key: string, onProgress: (share: number) => void, headers: Record<string, string>) {
  return new Promise<ImportReport>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/v1/customers/import'));
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('idempotency-key', key);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 200) resolve(body as ImportReport);
      else reject(new ApiError(xhr.status, body as Problem | undefined));
    };
    xhr.onerror = () => reject(new ApiError(0, undefined));
    xhr.send(csv);
  });
}

const TONES = {
  created: 'good',
  updated: 'info',
  unchanged: 'neutral',
  rejected: 'bad',
  'not-imported': 'warn',
} as const;

export default function CustomerImport() {
  const [file, setFile] = useState<{ name: string; text: string } | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [report, setReport] = useState<ImportReport | undefined>();
  const [sent, setSent] = useState<{ header: string; rows: string[] } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [only, setOnly] = useState<'all' | 'rejected'>('all');
  const key = useRef<string | undefined>(undefined);

  if (!isAdmin.value) {
    return (
      <Page title={t('import.title')} back={{ href: '/customers', label: t('nav.customers') }}>
        <Notice>{t('error.forbidden')}</Notice>
      </Page>
    );
  }

  const records = file ? csvRecords(file.text) : [];
  const rowCount = Math.max(0, records.length - 1);

  async function send(header: string, rows: string[]) {
    setError(undefined);
    setReport(undefined);
    setProgress(0);
    key.current ??= crypto.randomUUID();
    const csv = `${[header, ...rows].join('\n')}\n`;
    try {
      let result: ImportReport;
      try {
        result = await upload(csv, key.current, setProgress, await authHeaders());
      } catch (e) {
        if (!(e instanceof ApiError && e.kind === 'unauthorized' && (await renew()))) throw e;
        result = await upload(csv, key.current, setProgress, await authHeaders());
      }
      setReport(result);
      setSent({ header, rows });
      key.current = undefined;
    } catch (e) {
      const a = e instanceof ApiError ? e : new ApiError(0, undefined);
      if (a.kind === 'unauthorized') sessionExpired.value = true;
      if (a.kind !== 'network' && a.kind !== 'unavailable') key.current = undefined;
      setError(a);
    } finally {
      setProgress(undefined);
    }
  }

  const rowsWith = (status: string) =>
    report && sent ? report.rows.filter((r) => r.status === status).map((r) => sent.rows[r.row - 1] ?? '') : [];
  const rejected = rowsWith('rejected');
  const notImported = rowsWith('not-imported');
  const shown = report ? report.rows.filter((r) => only === 'all' || r.status === 'rejected') : [];

  return (
    <Page
      title={t('import.title')}
      subtitle={t('import.subtitle')}
      back={{ href: '/customers', label: t('nav.customers') }}
    >
      <form
        class="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          const [header = '', ...rows] = records;
          if (rows.length > 0 && rows.length <= MAX_ROWS) void send(header, rows);
        }}
      >
        <Field id="import-file" label={t('import.file')} hint={t('import.hint', { max: MAX_ROWS })}>
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const chosen = e.currentTarget.files?.[0];
              setReport(undefined);
              setError(undefined);
              key.current = undefined;
              setFile(chosen ? { name: chosen.name, text: await chosen.text() } : undefined);
            }}
          />
        </Field>
        {file && (
          <p class={rowCount > MAX_ROWS ? 'field-error' : 'hint'}>
            {rowCount > MAX_ROWS
              ? t('import.tooMany', { n: rowCount, max: MAX_ROWS })
              : t('import.rows', { n: rowCount, name: file.name })}
          </p>
        )}
        <div class="row">
          <button
            type="submit"
            class="btn btn-primary"
            disabled={!file || rowCount === 0 || rowCount > MAX_ROWS || progress !== undefined}
          >
            {t('import.upload')}
          </button>
        </div>
        {progress !== undefined && (
          <div class="progress-block">
            <label for="import-progress">{t('import.uploading')}</label>
            <progress id="import-progress" max={1} value={progress}>
              {fmt.percent(progress)}
            </progress>
            <span aria-hidden="true">{fmt.percent(progress)}</span>
          </div>
        )}
      </form>
      {error && (
        <Notice tone="error" role="alert">
          <p>{explain(error)}</p>
          {(error.kind === 'network' || error.kind === 'unavailable') && sent === undefined && records.length > 1 && (
            <button
              type="button"
              class="btn btn-secondary"
              onClick={() => void send(records[0] ?? '', records.slice(1))}
            >
              {t('action.retry')}
            </button>
          )}
        </Notice>
      )}
      {report && (
        <section class="card stack" aria-labelledby="report-title">
          <h2 id="report-title">{t('import.report')}</h2>
          <div class="tiles compact" role="status">
            {(['created', 'updated', 'unchanged', 'rejected', 'notImported'] as const).map((k) => (
              <div class="tile" key={k}>
                <p class="tile-label">{t(`import.${k}`)}</p>
                <p class="tile-value">{fmt.int(report.summary[k])}</p>
              </div>
            ))}
          </div>
          {!report.complete && (
            <Notice tone="warn">
              <p>{t('import.incomplete', { n: notImported.length })}</p>
              <button
                type="button"
                class="btn btn-secondary"
                onClick={() => sent && void send(sent.header, notImported)}
              >
                {t('import.resend')}
              </button>
            </Notice>
          )}
          <div class="row wrap">
            {rejected.length > 0 && (
              <button
                type="button"
                class="btn btn-secondary"
                onClick={() =>
                  sent &&
                  download('rejected-rows.csv', `${[sent.header, ...rejected].join('\n')}\n`, 'text/csv;charset=utf-8')
                }
              >
                {t('import.downloadRejected', { n: rejected.length })}
              </button>
            )}
            <Segmented label={t('import.show')}>
              <button type="button" aria-pressed={only === 'all'} onClick={() => setOnly('all')}>
                {t('import.allRows')}
              </button>
              <button type="button" aria-pressed={only === 'rejected'} onClick={() => setOnly('rejected')}>
                {t('import.rejectedRows')}
              </button>
            </Segmented>
          </div>
          <div class="table-wrap">
            <table>
              <caption>{t('import.perRow')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('import.row')}</th>
                  <th scope="col">{t('import.status')}</th>
                  <th scope="col">{t('import.reasons')}</th>
                  <th scope="col">{t('import.record')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.row}>
                    <th scope="row">{r.row}</th>
                    <td>
                      <Badge tone={TONES[r.status]}>{t(`importStatus.${r.status}`)}</Badge>
                    </td>
                    <td>
                      {r.reasons?.map((reason) => (
                        <span key={reason.path} class="reason">
                          {reason.path && <code>{reason.path}</code>} {reason.message}
                        </span>
                      )) ?? '—'}
                    </td>
                    <td>{r.id ? <a href={`/customers/${r.id}`}>{t('import.open')}</a> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Page>
  );
}
