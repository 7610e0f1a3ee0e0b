/**
 * Site settings: what holds for every survey on the site rather than one (GET/PUT /v1/site-settings).
 * Today the recontact window: after a visitor is shown any survey, how many days before another may
 * ask them. Admins change it (If-Match on the revision they saw, so a save never overwrites one made
 * since: a 412 says someone else saved and shows their value); analysts read it. The API checks the
 * bounds and its message shows under the field, so the console keeps no copy of them.
 */
import { useRef, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { useLoad } from '../state/use-load';
import { Field } from '../ui/field';
import { explain, LoadError, Loading, Notice } from '../ui/notice';
import { Page } from '../ui/page';
import { toast } from '../ui/toasts';

type Settings = Schemas['SiteSettings'];

export default function SiteSettings() {
  const load = useLoad(async () => (await call(() => api.GET('/v1/site-settings'))).data, []);
  return (
    <Page title={t('site.title')} subtitle={t('site.subtitle')}>
      <section class="card stack" aria-labelledby="recontact-title">
        <h2 id="recontact-title">{t('site.recontactTitle')}</h2>
        <div class="stack site-explain">
          <p>{t('site.recontactWhat')}</p>
          <ul>
            <li>{t('site.recontactOff')}</li>
            <li>{t('site.recontactOptOut')}</li>
            <li>{t('site.recontactScriptTag')}</li>
            <li>{t('site.recontactDelay')}</li>
          </ul>
        </div>
        {load.state === 'error' && <LoadError error={load.error} onRetry={load.reload} />}
        {load.data === undefined && load.state === 'loading' && <Loading />}
        {load.data && <Facts settings={load.data} />}
        {load.data && isAdmin.value && (
          // Keyed by revision: a reload after someone else's save starts the form from their value.
          <RecontactForm key={load.data.revision} settings={load.data} onReload={load.reload} />
        )}
        {load.data && !isAdmin.value && <p class="muted">{t('site.adminsOnly')}</p>}
      </section>
    </Page>
  );
}

function Facts({ settings }: { settings: Settings }) {
  return (
    <dl class="facts">
      <div>
        <dt>{t('site.current')}</dt>
        <dd data-testid="recontact-days">
          {settings.recontactDays === 0 ? t('site.off') : t('site.days', { n: settings.recontactDays })}
        </dd>
      </div>
      <div>
        <dt>{t('site.changed')}</dt>
        <dd>{settings.updatedAt ? fmt.dateTime(settings.updatedAt) : t('site.neverChanged')}</dd>
      </div>
    </dl>
  );
}

function RecontactForm({ settings, onReload }: { settings: Settings; onReload: () => void }) {
  const [days, setDays] = useState(String(settings.recontactDays));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [blank, setBlank] = useState(false);
  // One key per intended change: a retry after a lost answer returns the first outcome, not a 412.
  const key = useRef<string | undefined>(undefined);

  async function save() {
    // A number field holds '' for anything that is not a number; every number goes to the API, which judges it.
    if (days.trim() === '') {
      setBlank(true);
      return;
    }
    setBlank(false);
    setBusy(true);
    setError(undefined);
    key.current ??= crypto.randomUUID();
    const idempotencyKey = key.current;
    try {
      await call(() =>
        api.PUT('/v1/site-settings', {
          params: { header: { 'Idempotency-Key': idempotencyKey, 'If-Match': `"${settings.revision}"` } },
          body: { recontactDays: Number(days) },
        }),
      );
      key.current = undefined;
      toast(t('site.saved'));
      onReload();
    } catch (e) {
      const failure = asApiError(e);
      // A refused value is final for this key; a new attempt is a new change.
      if (failure.kind === 'invalid' || failure.kind === 'precondition') key.current = undefined;
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = blank
    ? t('form.required')
    : error?.kind === 'invalid'
      ? error.fieldErrors().recontactDays
      : undefined;
  return (
    <form
      class="stack"
      // The API checks the number and its message is shown under the field.
      noValidate
      aria-labelledby="recontact-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 id="recontact-form-title">{t('site.change')}</h3>
      <Field id="recontact-days" class="narrow" label={t('site.field')} hint={t('site.fieldHint')} error={fieldError}>
        <input
          type="number"
          min={0}
          step={1}
          value={days}
          onInput={(e) => {
            // Another value is another change: it must not be answered with the first one's stored outcome.
            key.current = undefined;
            setDays(e.currentTarget.value);
          }}
        />
      </Field>
      <div class="row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t('state.working') : t('site.save')}
        </button>
      </div>
      {error?.kind === 'precondition' && (
        <Notice tone="error" role="alert">
          <p>{t('site.conflict')}</p>
          <button type="button" class="btn btn-secondary" onClick={onReload}>
            {t('site.reload')}
          </button>
        </Notice>
      )}
      {error && error.kind !== 'precondition' && !fieldError && (
        <Notice tone="error" role="alert">
          <p>{explain(error)}</p>
        </Notice>
      )}
    </form>
  );
}
