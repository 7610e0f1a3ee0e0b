/**
 * Identity verification settings: which identity secret is current (fingerprint, version, created;
 * the previous one while its grace period lasts), and for admins creating it and rotating it with a
 * grace period. A new secret is shown once, in this page only (never stored by the console), with a
 * copy button and a warning. The signing examples are docs/api.md's own, read at build time.
 */

import snippets from 'virtual:signing-snippets';
import { useRef, useState } from 'preact/hooks';
import { IDENTITY_LIMITS } from '../../../functions/domain/customers/identity-limits';
import { api, call, type Schemas } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { useLoad } from '../state/use-load';
import { Dialog } from '../ui/dialog';
import { Field } from '../ui/field';
import { LoadError, Loading, Notice } from '../ui/notice';
import { Page } from '../ui/page';
import { toast } from '../ui/toasts';

type Status = Schemas['IdentitySecretStatus'];
type Issued = Schemas['IdentitySecretIssued'];

/** The API's own bounds for a rotation's grace period. */
const GRACE = { min: 0, max: IDENTITY_LIMITS.maxGraceHours, default: IDENTITY_LIMITS.defaultGraceHours } as const;

export default function Identity() {
  const status = useLoad(async () => {
    try {
      return (await call(() => api.GET('/v1/identity/secret'))).data;
    } catch (e) {
      // 404: no secret yet — a state of its own, not a failure.
      if (asApiError(e).kind === 'not-found') return null;
      throw e;
    }
  }, []);
  const [issued, setIssued] = useState<Issued | undefined>();
  const admin = isAdmin.value;

  return (
    <Page title={t('identity.title')} subtitle={t('identity.subtitle')}>
      {issued && <ShownOnce issued={issued} onDone={() => setIssued(undefined)} />}
      <section class="card stack" aria-labelledby="secret-title">
        <h2 id="secret-title">{t('identity.secret')}</h2>
        {status.state === 'error' && <LoadError error={status.error} onRetry={status.reload} />}
        {status.state === 'loading' && status.data === undefined && <Loading />}
        {status.data === null && <p>{t('identity.none')}</p>}
        {status.data && <StatusFacts status={status.data} />}
        {admin && status.data === null && (
          <CreateSecret
            onIssued={(s) => {
              setIssued(s);
              status.reload();
            }}
          />
        )}
        {admin && status.data && (
          <RotateSecret
            status={status.data}
            onIssued={(s) => {
              setIssued(s);
              status.reload();
            }}
          />
        )}
        {!admin && <p class="muted">{t('identity.adminsOnly')}</p>}
      </section>
      <Snippets />
    </Page>
  );
}

function StatusFacts({ status }: { status: Status }) {
  return (
    <dl class="facts">
      <div>
        <dt>{t('identity.fingerprint')}</dt>
        <dd>
          <code>{status.fingerprint}</code>
        </dd>
      </div>
      <div>
        <dt>{t('identity.version')}</dt>
        <dd>{status.version}</dd>
      </div>
      <div>
        <dt>{t('identity.created')}</dt>
        <dd>{fmt.dateTime(status.createdAt)}</dd>
      </div>
      <div>
        <dt>{t('identity.previous')}</dt>
        <dd>
          {status.previous
            ? t('identity.previousUntil', {
                fingerprint: status.previous.fingerprint,
                until: fmt.dateTime(status.previous.validUntil),
              })
            : t('identity.noPrevious')}
        </dd>
      </div>
    </dl>
  );
}

function CreateSecret({ onIssued }: { onIssued: (issued: Issued) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const key = useRef(crypto.randomUUID());
  async function create() {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await call(() =>
        api.POST('/v1/identity/secret', { params: { header: { 'Idempotency-Key': key.current } }, body: {} }),
      );
      onIssued(data);
      toast(t('identity.createdToast'));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="stack">
      <p class="hint">{t('identity.createHint')}</p>
      <div class="row">
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void create()}>
          {busy ? t('state.working') : t('identity.create')}
        </button>
      </div>
      {error && <LoadError error={error} onRetry={() => void create()} />}
    </div>
  );
}

function RotateSecret({ status, onIssued }: { status: Status; onIssued: (issued: Issued) => void }) {
  const [grace, setGrace] = useState(String(GRACE.default));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  // One key per confirmed rotation: a retry after an unknown outcome is the same rotation, not a second.
  const key = useRef(crypto.randomUUID());
  const hours = Number(grace);

  async function rotate() {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await call(() =>
        api.POST('/v1/identity/secret/rotate', {
          params: { header: { 'Idempotency-Key': key.current, 'If-Match': `"${status.version}"` } },
          body: { graceHours: grace.trim() === '' ? GRACE.default : hours },
        }),
      );
      key.current = crypto.randomUUID();
      setConfirming(false);
      onIssued(data);
      toast(t('identity.rotatedToast'));
    } catch (e) {
      setConfirming(false);
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="stack"
      // The API checks the grace period and its message is shown under the field.
      noValidate
      aria-labelledby="rotate-title"
      onSubmit={(e) => {
        e.preventDefault();
        setConfirming(true);
      }}
    >
      <h3 id="rotate-title">{t('identity.rotateTitle')}</h3>
      <p class="hint">{t('identity.rotateHint')}</p>
      <Field
        id="grace-hours"
        class="narrow"
        label={t('identity.grace')}
        hint={t('identity.graceHint', { max: GRACE.max })}
        error={error?.fieldErrors().graceHours}
      >
        <input
          type="number"
          min={GRACE.min}
          max={GRACE.max}
          step={1}
          value={grace}
          onInput={(e) => setGrace(e.currentTarget.value)}
        />
      </Field>
      <div class="row">
        <button type="submit" class="btn btn-danger-outline" disabled={busy}>
          {t('identity.rotate')}
        </button>
      </div>
      {error && !error.fieldErrors().graceHours && <LoadError error={error} onRetry={() => setConfirming(true)} />}
      <Dialog open={confirming} title={t('identity.rotateConfirmTitle')} onClose={() => setConfirming(false)}>
        <div class="stack">
          <p>
            {hours === 0
              ? t('identity.rotateNow')
              : t('identity.rotateGrace', { hours: Number.isFinite(hours) ? hours : GRACE.default })}
          </p>
          <div class="row end">
            <button type="button" class="btn btn-secondary" onClick={() => setConfirming(false)}>
              {t('action.cancel')}
            </button>
            <button type="button" class="btn btn-danger" disabled={busy} onClick={() => void rotate()}>
              {busy ? t('state.working') : t('identity.rotateConfirm')}
            </button>
          </div>
        </div>
      </Dialog>
    </form>
  );
}

/** The new secret, this once: copy it now; the console keeps it nowhere. */
function ShownOnce({ issued, onDone }: { issued: Issued; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="card stack secret-once" aria-labelledby="once-title">
      <h2 id="once-title">{t('identity.onceTitle')}</h2>
      <Notice tone="warn" role="alert">
        <p>{t('identity.onceWarning')}</p>
      </Notice>
      <div class="field">
        <label for="new-secret">{t('identity.newSecret', { fingerprint: issued.fingerprint })}</label>
        <input id="new-secret" type="text" readOnly spellcheck={false} value={issued.secret} class="secret-value" />
      </div>
      <div class="row">
        <button
          type="button"
          class="btn btn-primary"
          onClick={() =>
            void navigator.clipboard.writeText(issued.secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('embed.copied') : t('identity.copy')}
        </button>
        <button type="button" class="btn btn-secondary" onClick={onDone}>
          {t('identity.stored')}
        </button>
      </div>
      <p class="sr-only" role="status">
        {copied ? t('embed.copied') : ''}
      </p>
    </section>
  );
}

function Snippets() {
  const examples = [
    { key: 'node', label: 'Node.js', code: snippets.node },
    { key: 'python', label: 'Python', code: snippets.python },
  ];
  return (
    <section class="card stack" aria-labelledby="signing-title">
      <h2 id="signing-title">{t('identity.howTitle')}</h2>
      <p class="hint">{t('identity.howHint')}</p>
      {examples.map((s) => (
        <div key={s.key} class="snippet">
          <h3>{s.label}</h3>
          <pre class="wrap-code">
            <code>{s.code}</code>
          </pre>
        </div>
      ))}
      <p class="hint">{t('identity.widgetHint')}</p>
    </section>
  );
}
