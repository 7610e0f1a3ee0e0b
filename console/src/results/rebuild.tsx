/**
 * Repair for admins: recompute a date range's daily aggregates from the raw responses, seven days per
 * call, following the API's cursor until the range is done.
 */
import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import { t } from '../i18n/i18n';
import { Field } from '../ui/field';
import { LoadError } from '../ui/notice';

export function Rebuild({
  surveyId,
  range,
  onDone,
}: {
  surveyId: string;
  range: { from: string; to: string };
  onDone: () => void;
}) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [progress, setProgress] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  async function run() {
    setBusy(true);
    setError(undefined);
    let cursor: string | undefined;
    let days = 0;
    let responses = 0;
    try {
      do {
        const { data } = await call(() =>
          api.POST('/v1/surveys/{id}/aggregates/rebuild', {
            params: { path: { id: surveyId } },
            body: { from, to, ...(cursor ? { cursor } : {}) },
          }),
        );
        days += data.rebuilt.length;
        responses += data.rebuilt.reduce((s, d) => s + d.responses, 0);
        setProgress(t('rebuild.progress', { days, responses }));
        cursor = data.nextCursor;
      } while (cursor);
      setProgress(t('rebuild.done', { days, responses }));
      onDone();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card maintenance">
      <summary>{t('rebuild.title')}</summary>
      <div class="stack">
        <p class="hint">{t('rebuild.hint')}</p>
        <div class="filters">
          <Field id="rebuild-from" label={t('range.from')}>
            <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
          </Field>
          <Field id="rebuild-to" label={t('range.to')}>
            <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
          </Field>
        </div>
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void run()}>
          {t('rebuild.run')}
        </button>
        <p role="status">{progress}</p>
        {error && <LoadError error={error} onRetry={() => void run()} />}
      </div>
    </details>
  );
}
