/**
 * One customer: the record (admins edit it; a 412 offers to reload and reapply the edits on top of the
 * newer record, never a silent overwrite), feedback in numbers, the timeline of responses, follow-ups,
 * and GDPR access (JSON export) and erasure behind a typed confirmation. `/customers/new` creates one.
 */

import { useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, call } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import type { CustomerDetail as Detail, FollowUp, StoredResponse, Survey } from '../api/types';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { useDraft } from '../state/drafts';
import { useLoad } from '../state/use-load';
import { IdentityBadge } from '../trust/identity-badge';
import { UnverifiedAnswers } from '../trust/unverified-answers';
import { AnswerList } from '../ui/answer-list';
import { Badge } from '../ui/badge';
import { ConfirmTyped } from '../ui/confirm-typed';
import { download } from '../ui/download';
import { Field } from '../ui/field';
import { explain, LoadError, Loading, Notice } from '../ui/notice';
import { Page } from '../ui/page';
import { toast } from '../ui/toasts';

interface Form {
  name: string;
  email: string;
  phone: string;
  company: string;
  segment: string;
  tags: string;
  attributes: string;
}
const FIELDS = ['name', 'email', 'phone', 'company', 'segment'] as const;

function formOf(c: Partial<Detail> | undefined): Form {
  return {
    name: c?.name ?? '',
    email: c?.email ?? '',
    phone: c?.phone ?? '',
    company: c?.company ?? '',
    segment: c?.segment ?? '',
    tags: (c?.tags ?? []).join(', '),
    attributes: c?.attributes && Object.keys(c.attributes).length ? JSON.stringify(c.attributes, null, 2) : '',
  };
}

const splitTags = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

type Attributes = Record<string, string | number | boolean>;
function parseAttributes(text: string): Attributes | 'invalid' {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Attributes) : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** The fields the person changed relative to `base`, as a PATCH body (null clears a field). */
function changesOf(base: Form, edited: Form): Record<string, unknown> | 'invalid' {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (edited[f].trim() !== base[f].trim()) out[f] = edited[f].trim() || null;
  if (edited.tags !== base.tags) out.tags = splitTags(edited.tags);
  if (edited.attributes.trim() !== base.attributes.trim()) {
    const attributes = parseAttributes(edited.attributes);
    if (attributes === 'invalid') return 'invalid';
    out.attributes = attributes;
  }
  return out;
}

export default function CustomerDetail() {
  const { params } = useRoute();
  const id = params.id;
  if (!id) return <NewCustomer />;
  return <Existing key={id} id={id} />;
}

function NewCustomer() {
  const { route } = useLocation();
  const draft = useDraft<Form>('customer:new', () => formOf(undefined));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const key = useRef<string | undefined>(undefined);
  if (!isAdmin.value) {
    return (
      <Page title={t('customers.new')} back={{ href: '/customers', label: t('nav.customers') }}>
        <Notice>{t('error.forbidden')}</Notice>
      </Page>
    );
  }
  async function create() {
    const body = changesOf(formOf(undefined), draft.value);
    if (body === 'invalid') {
      setErrors({ attributes: t('customer.attributesInvalid') });
      return;
    }
    for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
    setBusy(true);
    setFailure(undefined);
    key.current ??= crypto.randomUUID();
    const idempotencyKey = key.current;
    try {
      const { data } = await call(() =>
        api.POST('/v1/customers', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }),
      );
      draft.discard();
      toast(t('customer.created'));
      route(`/customers/${data.id}`, true);
    } catch (e) {
      const a = asApiError(e);
      setFailure(a);
      setErrors(a.fieldErrors());
      if (a.kind !== 'network') key.current = undefined;
    } finally {
      setBusy(false);
    }
  }
  return (
    <Page title={t('customers.new')} back={{ href: '/customers', label: t('nav.customers') }}>
      {draft.restored && <Notice>{t('draft.restored')}</Notice>}
      {failure && <FailureNotice error={failure} onRetry={() => void create()} />}
      <CustomerForm
        form={draft.value}
        errors={errors}
        busy={busy}
        submitLabel={t('customer.create')}
        onChange={(next) => draft.set(next)}
        onSubmit={() => void create()}
      />
    </Page>
  );
}

function FailureNotice({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const conflictWith =
    typeof error.problem?.existingCustomerId === 'string' ? error.problem.existingCustomerId : undefined;
  return (
    <Notice tone="error" role="alert">
      <p>{explain(error)}</p>
      {conflictWith && <a href={`/customers/${conflictWith}`}>{t('customer.openExisting')}</a>}
      {error.kind === 'network' && onRetry && (
        <button type="button" class="btn btn-secondary" onClick={onRetry}>
          {t('action.retry')}
        </button>
      )}
    </Notice>
  );
}

function CustomerForm({
  form,
  errors,
  busy,
  submitLabel,
  onChange,
  onSubmit,
  onCancel,
}: {
  form: Form;
  errors: Record<string, string>;
  busy: boolean;
  submitLabel: string;
  onChange: (next: Form) => void;
  onSubmit: () => void;
  onCancel?: () => void;
}) {
  const input = (field: keyof Form, type: 'text' | 'email' | 'tel' = 'text') => {
    const props = {
      value: form[field],
      autoComplete: 'off',
      onInput: (e: { currentTarget: HTMLInputElement }) => onChange({ ...form, [field]: e.currentTarget.value }),
    };
    return (
      <Field id={`customer-${field}`} label={t(`customer.${field}`)} error={errors[field]}>
        {type === 'email' ? (
          <input type="email" {...props} />
        ) : type === 'tel' ? (
          <input type="tel" {...props} />
        ) : (
          <input type="text" {...props} />
        )}
      </Field>
    );
  };
  return (
    <form
      class="card stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <div class="grid-2">
        {input('name')}
        {input('email', 'email')}
        {input('phone', 'tel')}
        {input('company')}
        {input('segment')}
        <Field id="customer-tags" label={t('customer.tags')} hint={t('customer.tagsHint')} error={errors.tags}>
          <input type="text" value={form.tags} onInput={(e) => onChange({ ...form, tags: e.currentTarget.value })} />
        </Field>
      </div>
      <Field
        id="customer-attributes"
        label={t('customer.attributes')}
        hint={t('customer.attributesHint')}
        error={errors.attributes}
      >
        <textarea
          rows={3}
          spellcheck={false}
          value={form.attributes}
          onInput={(e) => onChange({ ...form, attributes: e.currentTarget.value })}
        />
      </Field>
      <div class="row end">
        {onCancel && (
          <button type="button" class="btn btn-ghost" onClick={onCancel}>
            {t('action.cancel')}
          </button>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

interface Loaded {
  customer: Detail;
  responses: StoredResponse[];
  followUps: FollowUp[];
  surveys: Map<string, Survey>;
}

async function loadCustomer(id: string): Promise<Loaded> {
  const [customer, responses] = await Promise.all([
    call(() => api.GET('/v1/customers/{id}', { params: { path: { id } } })),
    call(() => api.GET('/v1/customers/{id}/responses', { params: { path: { id }, query: { limit: 100 } } })),
  ]);
  const surveyIds = [...new Set(responses.data.items.map((r) => r.surveyId))];
  const [surveys, followUps] = await Promise.all([
    Promise.all(
      surveyIds.map((s) =>
        call(() => api.GET('/v1/surveys/{id}', { params: { path: { id: s } } })).then((r) => r.data),
      ),
    ),
    Promise.all(
      surveyIds.map((s) =>
        call(() => api.GET('/v1/followups', { params: { query: { surveyId: s, limit: 100 } } })).then((r) =>
          r.data.items.filter((f) => f.customerId === id),
        ),
      ),
    ),
  ]);
  return {
    customer: customer.data,
    responses: responses.data.items,
    followUps: followUps.flat(),
    surveys: new Map(surveys.map((s) => [s.id, s])),
  };
}

function Existing({ id }: { id: string }) {
  const load = useLoad(() => loadCustomer(id), [id]);
  if (load.state === 'error')
    return (
      <Page title={t('customer.title')} back={{ href: '/customers', label: t('nav.customers') }}>
        <LoadError error={load.error} onRetry={load.reload} />
      </Page>
    );
  if (!load.data) return <Loading />;
  return <CustomerView data={load.data} reload={load.reload} />;
}

function CustomerView({ data, reload }: { data: Loaded; reload: () => void }) {
  const { route } = useLocation();
  const [customer, setCustomer] = useState(data.customer);
  const [editing, setEditing] = useState(false);
  const draft = useDraft<{ base: Form; form: Form }>(`customer:${customer.id}`, () => ({
    base: formOf(customer),
    form: formOf(customer),
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [conflicts, setConflicts] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'erase' | 'delete' | undefined>();
  const admin = isAdmin.value;
  const isEditing = admin && (editing || draft.restored);
  const displayName = customer.name ?? customer.email ?? customer.phone ?? customer.id;
  const word = customer.email ?? customer.name ?? customer.id;

  async function save() {
    const changes = changesOf(draft.value.base, draft.value.form);
    if (changes === 'invalid') {
      setErrors({ attributes: t('customer.attributesInvalid') });
      return;
    }
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      draft.discard();
      return;
    }
    setBusy(true);
    setFailure(undefined);
    setErrors({});
    try {
      const { data: saved } = await call(() =>
        api.PATCH('/v1/customers/{id}', {
          params: { path: { id: customer.id }, header: { 'If-Match': `"${customer.version}"` } },
          body: changes,
        }),
      );
      setCustomer({ ...saved, feedback: customer.feedback });
      draft.reset({ base: formOf(saved), form: formOf(saved) });
      setEditing(false);
      setConflicts([]);
      toast(t('editor.saved'));
    } catch (e) {
      const a = asApiError(e);
      setFailure(a);
      setErrors(a.fieldErrors());
    } finally {
      setBusy(false);
    }
  }

  /** 412: read the newer record, put the person's own changes on top of it, and say what moved meanwhile. */
  async function reapply() {
    try {
      const { data: fresh } = await call(() =>
        api.GET('/v1/customers/{id}', { params: { path: { id: customer.id } } }),
      );
      const { base, form } = draft.value;
      const freshForm = formOf(fresh);
      const mine = Object.fromEntries(
        (Object.keys(form) as (keyof Form)[]).filter((k) => form[k] !== base[k]).map((k) => [k, form[k]]),
      );
      const moved = (Object.keys(form) as (keyof Form)[]).filter((k) => freshForm[k] !== base[k]);
      setCustomer(fresh);
      draft.set({ base: freshForm, form: { ...freshForm, ...mine } });
      setConflicts(moved.map((k) => t(`customer.${k}`)));
      setFailure(undefined);
    } catch (e) {
      setFailure(asApiError(e));
    }
  }

  async function erase() {
    setBusy(true);
    try {
      const { data: result } = await call(() =>
        api.POST('/v1/customers/{id}/erase', { params: { path: { id: customer.id } } }),
      );
      draft.discard();
      toast(t('gdpr.erased', { responses: result.responsesUnlinked }));
      route('/customers', true);
    } catch (e) {
      setFailure(asApiError(e));
      setConfirm(undefined);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await call(() =>
        api.DELETE('/v1/customers/{id}', {
          params: { path: { id: customer.id }, header: { 'If-Match': `"${customer.version}"` } },
        }),
      );
      draft.discard();
      toast(t('customer.deleted'));
      route('/customers', true);
    } catch (e) {
      setFailure(asApiError(e));
      setConfirm(undefined);
    } finally {
      setBusy(false);
    }
  }

  async function exportData() {
    try {
      const { data: exported } = await call(() =>
        api.GET('/v1/customers/{id}/personal-data', { params: { path: { id: customer.id } } }),
      );
      download(`customer-${customer.id}.json`, JSON.stringify(exported, null, 2), 'application/json');
    } catch (e) {
      setFailure(asApiError(e));
    }
  }

  const fb = customer.feedback;
  return (
    <Page
      title={displayName}
      subtitle={customer.company}
      back={{ href: '/customers', label: t('nav.customers') }}
      actions={
        admin &&
        !isEditing && (
          <button
            type="button"
            class="btn btn-primary"
            onClick={() => {
              draft.reset({ base: formOf(customer), form: formOf(customer) });
              setEditing(true);
            }}
          >
            {t('customer.edit')}
          </button>
        )
      }
    >
      {failure && failure.kind === 'precondition' ? (
        <Notice tone="warn" role="alert">
          <p>{t('customer.conflict')}</p>
          <button type="button" class="btn btn-secondary" onClick={() => void reapply()}>
            {t('customer.reapply')}
          </button>
        </Notice>
      ) : (
        failure && <FailureNotice error={failure} onRetry={() => void save()} />
      )}
      {conflicts.length > 0 && (
        <Notice tone="warn">
          <p>{t('customer.reapplied', { fields: conflicts.join(', ') })}</p>
        </Notice>
      )}
      {isEditing ? (
        <>
          {draft.restored && <Notice>{t('draft.restored')}</Notice>}
          <CustomerForm
            form={draft.value.form}
            errors={errors}
            busy={busy}
            submitLabel={t('customer.save')}
            onChange={(form) => draft.set((d) => ({ ...d, form }))}
            onSubmit={() => void save()}
            onCancel={() => {
              draft.reset({ base: formOf(customer), form: formOf(customer) });
              setEditing(false);
              setConflicts([]);
              setFailure(undefined);
            }}
          />
        </>
      ) : (
        <section class="card" aria-labelledby="record-title">
          <h2 id="record-title">{t('customer.record')}</h2>
          <dl class="facts">
            {FIELDS.map((f) => (
              <div key={f}>
                <dt>{t(`customer.${f}`)}</dt>
                <dd>{customer[f] ?? '—'}</dd>
              </div>
            ))}
            <div>
              <dt>{t('customer.tags')}</dt>
              <dd>{customer.tags.length ? customer.tags.map((tag) => <Badge key={tag}>{tag}</Badge>) : '—'}</dd>
            </div>
            <div>
              <dt>{t('customer.attributes')}</dt>
              <dd>
                {Object.keys(customer.attributes).length
                  ? Object.entries(customer.attributes).map(([k, v]) => (
                      <span key={k} class="attr">
                        {k}: {String(v)}
                      </span>
                    ))
                  : '—'}
              </dd>
            </div>
            <div>
              <dt>{t('customer.created.label')}</dt>
              <dd>{fmt.dateTime(customer.createdAt)}</dd>
            </div>
            <div>
              <dt>{t('customer.updated')}</dt>
              <dd>
                {fmt.dateTime(customer.updatedAt)} · {t('customer.version', { v: customer.version })}
              </dd>
            </div>
          </dl>
        </section>
      )}

      <div class="tiles">
        <div class="tile">
          <p class="tile-label">{t('feedback.count')}</p>
          <p class="tile-value">{fmt.int(fb.count)}</p>
        </div>
        <div class="tile">
          <p class="tile-label">{t('feedback.last')}</p>
          <p class="tile-value">{fb.lastScore ? `${fb.lastScore.value} / ${fb.lastScore.max}` : '—'}</p>
          {fb.lastScore && <p class="tile-meta">{fmt.date(fb.lastScore.at)}</p>}
        </div>
        <div class="tile">
          <p class="tile-label">{t('feedback.average')}</p>
          <p class="tile-value">
            {fb.averageSatisfaction === null ? '—' : `${fmt.number(fb.averageSatisfaction, 0)} / 100`}
          </p>
        </div>
      </div>

      <Timeline responses={data.responses} surveys={data.surveys} />
      <UnverifiedAnswers customerId={customer.id} surveys={data.surveys} />

      <section class="card" aria-labelledby="cfu-title">
        <h2 id="cfu-title">{t('nav.followups')}</h2>
        {data.followUps.length === 0 ? (
          <p class="muted">{t('customer.noFollowUps')}</p>
        ) : (
          <ul class="plain">
            {data.followUps.map((f) => (
              <li key={f.id}>
                <Badge tone={f.status === 'resolved' ? 'good' : f.status === 'contacted' ? 'info' : 'warn'}>
                  {t(`followup.${f.status}`)}
                </Badge>{' '}
                {data.surveys.get(f.surveyId)?.name ?? f.surveyId} · {fmt.date(f.createdAt)}
                {f.assignee && ` · ${f.assignee}`} ·{' '}
                <a href={`/followups?status=${f.status}&survey=${f.surveyId}`}>{t('customer.openInbox')}</a>
              </li>
            ))}
          </ul>
        )}
      </section>

      {admin && (
        <section class="card stack danger-zone" aria-labelledby="gdpr-title">
          <h2 id="gdpr-title">{t('gdpr.title')}</h2>
          <p class="hint">{t('gdpr.hint')}</p>
          <div class="row wrap">
            <button type="button" class="btn btn-secondary" onClick={() => void exportData()}>
              {t('gdpr.export')}
            </button>
            <button type="button" class="btn btn-danger-outline" onClick={() => setConfirm('erase')}>
              {t('gdpr.erase')}
            </button>
            <button type="button" class="btn btn-danger-outline" onClick={() => setConfirm('delete')}>
              {t('customer.delete')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={reload}>
              {t('action.reload')}
            </button>
          </div>
        </section>
      )}
      <ConfirmTyped
        open={confirm === 'erase'}
        title={t('gdpr.eraseTitle')}
        body={t('gdpr.eraseBody')}
        word={word}
        action={t('gdpr.erase')}
        busy={busy}
        onConfirm={() => void erase()}
        onClose={() => setConfirm(undefined)}
      />
      <ConfirmTyped
        open={confirm === 'delete'}
        title={t('customer.deleteTitle')}
        body={t('customer.deleteBody')}
        word={word}
        action={t('customer.delete')}
        busy={busy}
        onConfirm={() => void remove()}
        onClose={() => setConfirm(undefined)}
      />
    </Page>
  );
}

function Timeline({ responses, surveys }: { responses: StoredResponse[]; surveys: Map<string, Survey> }) {
  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('customer.timeline')}</h2>
      {responses.length === 0 ? (
        <p class="muted">{t('customer.noResponses')}</p>
      ) : (
        <ol class="timeline">
          {responses.map((r) => {
            const survey = surveys.get(r.surveyId);
            return (
              <li key={r.id} id={`response-${r.id}`}>
                <p class="comment-meta">
                  <time dateTime={r.receivedAt}>{fmt.dateTime(r.receivedAt)}</time>
                  <a href={`/surveys/${r.surveyId}`}>{survey?.name ?? r.surveyId}</a>
                  {r.facts.score && (
                    <Badge tone={r.facts.detractor ? 'bad' : 'neutral'}>
                      {t('comments.score', { value: r.facts.score.value, max: r.facts.score.max })}
                    </Badge>
                  )}
                  {r.facts.detractor && <Badge tone="warn">{t('customer.detractor')}</Badge>}
                  <IdentityBadge response={r} />
                </p>
                <AnswerList answers={r.answers} survey={survey} />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
