/**
 * Webhooks: who gets which events (docs/webhooks.md). Admins create a subscription (its signing
 * secret is shown once, with a copy button), change its URL and events, disable or enable it, rotate
 * the secret (the old one keeps signing for a grace period), and read each subscription's delivery
 * log with every attempt, replaying one delivery or everything that did not arrive in the last day.
 */
import { useRef, useState } from 'preact/hooks';
import { webhookEventTypes } from '../../../functions/domain/webhooks/webhook-event-types';
import { api, call } from '../api/client';
import { asApiError } from '../api/errors';
import type { Webhook, WebhookDelivery, WebhookEventType, WebhookIssued } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { useLoad } from '../state/use-load';
import { Badge, type Tone } from '../ui/badge';
import { Field } from '../ui/field';
import { explain, LoadError, Loading, Notice } from '../ui/notice';
import { Page } from '../ui/page';
import { toast } from '../ui/toasts';

const EVENT_TYPES: readonly WebhookEventType[] = webhookEventTypes;

export default function Webhooks() {
  const list = useLoad(async () => (await call(() => api.GET('/v1/webhooks'))).data.items, []);
  const [issued, setIssued] = useState<WebhookIssued | undefined>(undefined);
  const [open, setOpen] = useState<string | undefined>(undefined);
  return (
    <Page title={t('webhooks.title')} subtitle={t('webhooks.subtitle')}>
      {issued && <SecretOnce issued={issued} onDone={() => setIssued(undefined)} />}
      {isAdmin.value && (
        <CreateWebhook
          onCreated={(created) => {
            setIssued(created);
            setOpen(created.id);
            list.reload();
          }}
        />
      )}
      {list.state === 'error' && <LoadError error={list.error} onRetry={list.reload} />}
      {!list.data && list.state === 'loading' && <Loading />}
      {list.data && list.data.length === 0 && <p class="muted">{t('webhooks.none')}</p>}
      {list.data?.map((hook) => (
        <WebhookCard
          key={hook.id}
          hook={hook}
          open={open === hook.id}
          onToggle={() => setOpen(open === hook.id ? undefined : hook.id)}
          onChanged={list.reload}
          onIssued={setIssued}
        />
      ))}
    </Page>
  );
}

function SecretOnce({ issued, onDone }: { issued: WebhookIssued; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="card stack" aria-labelledby="secret-title" data-testid="webhook-secret">
      <h2 id="secret-title">{t('webhooks.secretTitle')}</h2>
      <Notice tone="warn">{t('webhooks.secretOnce')}</Notice>
      <code class="secret">{issued.secret}</code>
      <div class="row">
        <button
          type="button"
          class="btn btn-secondary"
          onClick={() =>
            void navigator.clipboard.writeText(issued.secret).then(
              () => setCopied(true),
              () => toast(t('webhooks.copyFailed'), 'error'),
            )
          }
        >
          {copied ? t('webhooks.copied') : t('webhooks.copy')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onDone}>
          {t('webhooks.secretDone')}
        </button>
      </div>
    </section>
  );
}

function EventPicker({
  id,
  value,
  onChange,
}: {
  id: string;
  value: readonly WebhookEventType[];
  onChange: (next: WebhookEventType[]) => void;
}) {
  return (
    <fieldset class="checks" id={id}>
      <legend>{t('webhooks.events')}</legend>
      {EVENT_TYPES.map((type) => (
        <label key={type} class="check">
          <input
            type="checkbox"
            checked={value.includes(type)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...value, type] : value.filter((v) => v !== type))}
          />
          <code>{type}</code>
        </label>
      ))}
    </fieldset>
  );
}

function CreateWebhook({ onCreated }: { onCreated: (issued: WebhookIssued) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [notifyEmail, setNotifyEmail] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['response.created']);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // One key per form: a retried submit after a lost answer creates one webhook, not two.
  const key = useRef<string | undefined>(undefined);
  const submit = async () => {
    setBusy(true);
    setErrors({});
    key.current ??= crypto.randomUUID();
    const idempotencyKey = key.current;
    try {
      const { data } = await call(() =>
        api.POST('/v1/webhooks', {
          body: {
            url,
            events,
            enabled: true,
            ...(description ? { description } : {}),
            ...(notifyEmail ? { notifyEmail } : {}),
          },
          params: { header: { 'Idempotency-Key': idempotencyKey } },
        }),
      );
      key.current = undefined;
      setUrl('');
      setDescription('');
      toast(t('webhooks.created'));
      onCreated(data);
    } catch (error) {
      const apiError = asApiError(error);
      setErrors(apiError.fieldErrors());
      toast(explain(apiError), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="card stack"
      aria-labelledby="create-webhook-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="create-webhook-title">{t('webhooks.create')}</h2>
      <Field id="webhook-url" label={t('webhooks.url')} hint={t('webhooks.urlHint')} error={errors.url}>
        <input
          type="url"
          required
          value={url}
          placeholder="https://crm.example.com/hooks/rapport"
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </Field>
      <Field id="webhook-description" label={t('webhooks.description')} error={errors.description}>
        <input type="text" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <Field
        id="webhook-notify"
        label={t('webhooks.notifyEmail')}
        hint={t('webhooks.notifyHint')}
        error={errors.notifyEmail}
      >
        <input type="email" value={notifyEmail} onInput={(e) => setNotifyEmail(e.currentTarget.value)} />
      </Field>
      <EventPicker id="webhook-events" value={events} onChange={setEvents} />
      {errors.events && <p class="field-error">{errors.events}</p>}
      <div class="row end">
        <button type="submit" class="btn btn-primary" disabled={busy || events.length === 0}>
          {t('webhooks.createButton')}
        </button>
      </div>
    </form>
  );
}

function WebhookCard({
  hook,
  open,
  onToggle,
  onChanged,
  onIssued,
}: {
  hook: Webhook;
  open: boolean;
  onToggle: () => void;
  onChanged: () => void;
  onIssued: (issued: WebhookIssued) => void;
}) {
  const admin = isAdmin.value;
  const [url, setUrl] = useState(hook.url);
  const [events, setEvents] = useState<WebhookEventType[]>([...hook.events]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const ifMatch = { 'If-Match': `"${hook.version}"` };
  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      toast(done);
      setErrors({});
      onChanged();
    } catch (error) {
      const apiError = asApiError(error);
      setErrors(apiError.fieldErrors());
      toast(explain(apiError), 'error');
    }
  };
  const patch = (body: { url?: string; events?: WebhookEventType[]; enabled?: boolean }, done: string) =>
    act(
      () => call(() => api.PATCH('/v1/webhooks/{id}', { params: { path: { id: hook.id }, header: ifMatch }, body })),
      done,
    );
  return (
    <section class="card stack webhook" aria-label={hook.description ?? hook.url} data-webhook={hook.id}>
      <div class="row between">
        <div>
          <h2 class="webhook-url">{hook.description ?? hook.url}</h2>
          <p class="muted">
            <code>{hook.url}</code> · {t('webhooks.fingerprint', { fingerprint: hook.secretFingerprint })}
          </p>
        </div>
        <div class="row">
          {hook.enabled ? (
            <Badge tone="good">{t('webhooks.enabled')}</Badge>
          ) : (
            <Badge tone="warn">
              {hook.disabledReason === 'dead-letters' ? t('webhooks.disabledDeadLetters') : t('webhooks.disabled')}
            </Badge>
          )}
          <button type="button" class="btn btn-secondary" aria-expanded={open} onClick={onToggle}>
            {open ? t('webhooks.hide') : t('webhooks.show')}
          </button>
        </div>
      </div>
      {hook.previousSecret && (
        <p class="muted">{t('webhooks.overlap', { until: fmt.dateTime(hook.previousSecret.validUntil) })}</p>
      )}
      {open && (
        <>
          {admin && (
            <form
              class="stack"
              onSubmit={(e) => {
                e.preventDefault();
                void patch({ url, events }, t('webhooks.saved'));
              }}
            >
              <Field id={`url-${hook.id}`} label={t('webhooks.url')} error={errors.url}>
                <input type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
              </Field>
              <EventPicker id={`events-${hook.id}`} value={events} onChange={setEvents} />
              <div class="row">
                <button type="submit" class="btn btn-primary" disabled={events.length === 0}>
                  {t('webhooks.save')}
                </button>
                <button
                  type="button"
                  class="btn btn-secondary"
                  onClick={() =>
                    void patch(
                      { enabled: !hook.enabled },
                      hook.enabled ? t('webhooks.disabledDone') : t('webhooks.enabledDone'),
                    )
                  }
                >
                  {hook.enabled ? t('webhooks.disable') : t('webhooks.enable')}
                </button>
                <button
                  type="button"
                  class="btn btn-secondary"
                  onClick={() =>
                    void act(async () => {
                      const { data } = await call(() =>
                        api.POST('/v1/webhooks/{id}/rotate', {
                          params: { path: { id: hook.id }, header: ifMatch },
                          body: { graceHours: 24 },
                        }),
                      );
                      onIssued(data);
                    }, t('webhooks.rotated'))
                  }
                >
                  {t('webhooks.rotate')}
                </button>
                <button
                  type="button"
                  class="btn btn-ghost"
                  onClick={() =>
                    void act(
                      () => call(() => api.DELETE('/v1/webhooks/{id}', { params: { path: { id: hook.id } } })),
                      t('webhooks.deleted'),
                    )
                  }
                >
                  {t('webhooks.delete')}
                </button>
              </div>
            </form>
          )}
          <DeliveryLog hook={hook} />
        </>
      )}
    </section>
  );
}

function stateTone(state: WebhookDelivery['state']): Tone {
  if (state === 'delivered') return 'good';
  if (state === 'dead-lettered') return 'bad';
  if (state === 'retrying' || state === 'skipped') return 'warn';
  return 'info';
}

function DeliveryLog({ hook }: { hook: Webhook }) {
  const log = useLoad(
    async () =>
      (
        await call(() =>
          api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: hook.id }, query: { limit: 20 } } }),
        )
      ).data.items,
    [hook.id],
  );
  const replay = async (run: () => Promise<unknown>) => {
    try {
      await run();
      toast(t('webhooks.replayed'));
      log.reload();
    } catch (error) {
      toast(explain(asApiError(error)), 'error');
    }
  };
  return (
    <section class="stack" aria-labelledby={`log-${hook.id}`}>
      <div class="row between">
        <h3 id={`log-${hook.id}`}>{t('webhooks.log')}</h3>
        <div class="row">
          <button type="button" class="btn btn-ghost" onClick={log.reload}>
            {t('action.reload')}
          </button>
          {isAdmin.value && (
            <button
              type="button"
              class="btn btn-secondary"
              onClick={() =>
                void replay(() => {
                  const to = new Date();
                  const from = new Date(to.getTime() - 86_400_000);
                  return call(() =>
                    api.POST('/v1/webhooks/{id}/replay', {
                      params: { path: { id: hook.id } },
                      body: { from: from.toISOString(), to: to.toISOString(), states: ['dead-lettered', 'skipped'] },
                    }),
                  );
                })
              }
            >
              {t('webhooks.replayFailed')}
            </button>
          )}
        </div>
      </div>
      {log.state === 'error' && <LoadError error={log.error} onRetry={log.reload} />}
      {!log.data && log.state === 'loading' && <Loading />}
      {log.data && log.data.length === 0 && <p class="muted">{t('webhooks.noDeliveries')}</p>}
      {log.data && log.data.length > 0 && (
        <ul class="deliveries">
          {log.data.map((d) => (
            <li key={d.id} class="delivery" data-delivery={d.id}>
              <div class="row between">
                <span>
                  <code>{d.type}</code> · {fmt.dateTime(d.eventTimestamp)} ·{' '}
                  <Badge tone={stateTone(d.state)}>{t(`webhooks.state.${d.state}`)}</Badge>
                </span>
                {isAdmin.value && (
                  <button
                    type="button"
                    class="btn btn-ghost"
                    onClick={() =>
                      void replay(() =>
                        call(() =>
                          api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/replay', {
                            params: { path: { id: hook.id, deliveryId: d.id } },
                            body: {},
                          }),
                        ),
                      )
                    }
                  >
                    {t('webhooks.replay')}
                  </button>
                )}
              </div>
              <table class="attempts">
                <caption class="sr-only">{t('webhooks.attempts', { id: d.webhookId })}</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t('webhooks.at')}</th>
                    <th scope="col">{t('webhooks.status')}</th>
                    <th scope="col">{t('webhooks.latency')}</th>
                    <th scope="col">{t('webhooks.answer')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempts.map((a) => (
                    <tr key={`${a.run}-${a.attempt}`}>
                      <td>{a.run > 1 ? `${a.run}.${a.attempt}` : a.attempt}</td>
                      <td>{fmt.dateTime(a.at)}</td>
                      <td>{a.status ?? t(`webhooks.outcome.${a.outcome}`)}</td>
                      <td>{t('webhooks.ms', { ms: fmt.int(a.latencyMs) })}</td>
                      <td>
                        <code class="snippet">{a.response ?? ''}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
