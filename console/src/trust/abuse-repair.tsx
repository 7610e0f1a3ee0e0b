/**
 * Abuse repair on a survey's results page: who answered in a time range (at most the API's window,
 * busiest client first, with its detractor share, so a flood stands out), and, for admins, excluding
 * one client's answers or the whole range with a reason, after a confirmation that says what will
 * happen. Past exclusions are listed below. After an exclusion the page's report is loaded again.
 */
import { useRef, useState } from 'preact/hooks';
import { CLIENTS_MAX_DAYS } from '../../../functions/domain/surveys/exclusion-limits';
import { api, call, type Schemas } from '../api/client';
import { type ApiError, asApiError } from '../api/errors';
import { isAdmin } from '../auth/session';
import { fmt, t } from '../i18n/i18n';
import { fromLocalInput, lastHours, shortHash, shortSpan } from '../state/instants';
import { useLoad } from '../state/use-load';
import { Badge } from '../ui/badge';
import { Dialog } from '../ui/dialog';
import { Field } from '../ui/field';
import { LoadError, Loading } from '../ui/notice';
import { toast } from '../ui/toasts';
import { ScrollRegion } from './scroll-region';

type Client = Schemas['ClientSummaries']['items'][number];
type Exclusion = Schemas['Exclusion'];

const DAY_MS = 86_400_000;
/** A client with at least this many answers in the window and this share of them is worth a look. */
const FLOOD_MIN_RESPONSES = 5;
const FLOOD_MIN_SHARE = 0.2;
/** Clients listed before "show all": a flood is at the top; the long tail of one-answer clients can wait. */
const TOP_CLIENTS = 10;

/** The picked range as the API takes it, or the reason it cannot be asked for. */
function rangeOf(from: string, to: string): { from: string; to: string } | { problem: string } {
  const f = fromLocalInput(from);
  const u = fromLocalInput(to);
  if (!f || !u) return { problem: t('abuse.rangeIncomplete') };
  if (Date.parse(u) <= Date.parse(f)) return { problem: t('abuse.rangeBackwards') };
  if (Date.parse(u) - Date.parse(f) > CLIENTS_MAX_DAYS * DAY_MS)
    return { problem: t('abuse.rangeTooLong', { days: CLIENTS_MAX_DAYS }) };
  return { from: f, to: u };
}

/** What an exclusion will take out: one client's answers, or every answer of the range. */
interface Target {
  readonly from: string;
  readonly to: string;
  readonly client?: Client;
  readonly responses: number;
}

export function AbuseRepair({ surveyId, onExcluded }: { surveyId: string; onExcluded: () => void }) {
  const initial = lastHours(24);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [target, setTarget] = useState<Target | undefined>();
  const [showAll, setShowAll] = useState(false);
  const range = rangeOf(from, to);
  const asked = 'problem' in range ? undefined : range;

  const clients = useLoad(async () => {
    if (!asked) return undefined;
    return (await call(() => api.GET('/v1/surveys/{id}/clients', { params: { path: { id: surveyId }, query: asked } })))
      .data.items;
  }, [surveyId, asked?.from, asked?.to]);
  const exclusions = useLoad(
    async () =>
      (await call(() => api.GET('/v1/surveys/{id}/exclusions', { params: { path: { id: surveyId } } }))).data.items,
    [surveyId],
  );

  const items = clients.data ?? [];
  const total = items.reduce((sum, c) => sum + c.responses, 0);
  const admin = isAdmin.value;

  return (
    <section class="card stack abuse" aria-labelledby="abuse-title">
      <h2 id="abuse-title">{t('abuse.title')}</h2>
      <p class="hint">{t('abuse.hint', { days: CLIENTS_MAX_DAYS })}</p>
      <form class="filters" aria-label={t('abuse.rangeLabel')} onSubmit={(e) => e.preventDefault()}>
        <Field
          id="abuse-from"
          label={t('abuse.from')}
          hint={t('abuse.localTime')}
          error={'problem' in range ? range.problem : undefined}
        >
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field id="abuse-to" label={t('abuse.to')} hint={t('abuse.maxDays', { days: CLIENTS_MAX_DAYS })}>
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </Field>
      </form>

      {clients.state === 'error' && <LoadError error={clients.error} onRetry={clients.reload} />}
      {asked && clients.state === 'loading' && !clients.data && <Loading />}
      {asked && clients.data && (
        <>
          <p role="status">{t('abuse.summary', { clients: items.length, responses: total })}</p>
          {items.length > 0 && (
            <ScrollRegion label={t('abuse.clientsCaption')}>
              <table class="clients">
                <caption class="sr-only">{t('abuse.clientsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('abuse.client')}</th>
                    <th scope="col" class="num">
                      {t('abuse.responses')}
                    </th>
                    <th scope="col" class="num">
                      {t('abuse.shareOfRange')}
                    </th>
                    <th scope="col" class="num">
                      {t('abuse.detractorShare')}
                    </th>
                    <th scope="col">{t('abuse.firstLast')}</th>
                    {admin && <th scope="col">{t('abuse.action')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {(showAll ? items : items.slice(0, TOP_CLIENTS)).map((c) => {
                    const share = total ? c.responses / total : 0;
                    const suspicious = c.responses >= FLOOD_MIN_RESPONSES && share >= FLOOD_MIN_SHARE;
                    return (
                      <tr key={c.clientHash}>
                        <th scope="row">
                          <code title={c.clientHash}>{shortHash(c.clientHash)}</code>{' '}
                          {suspicious && <Badge tone="bad">{t('abuse.suspicious')}</Badge>}
                        </th>
                        <td class="num">{fmt.int(c.responses)}</td>
                        <td class="num">{fmt.percent(share)}</td>
                        <td class="num">
                          {fmt.percent(c.responses ? c.detractors / c.responses : null)}{' '}
                          <span class="muted small">({fmt.int(c.detractors)})</span>
                        </td>
                        <td class="nowrap">{shortSpan(c.firstAt, c.lastAt)}</td>
                        {admin && asked && (
                          <td>
                            <button
                              type="button"
                              class="btn btn-danger-outline btn-small"
                              aria-label={t('abuse.excludeClientNamed', { client: shortHash(c.clientHash) })}
                              onClick={() => setTarget({ ...asked, client: c, responses: c.responses })}
                            >
                              {t('abuse.excludeClient')}
                            </button>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollRegion>
          )}
          {items.length > TOP_CLIENTS && (
            <button type="button" class="link" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
              {showAll ? t('abuse.showTop', { n: TOP_CLIENTS }) : t('abuse.showAll', { n: items.length })}
            </button>
          )}
          {admin && items.length > 0 && (
            <div class="row">
              <button
                type="button"
                class="btn btn-danger-outline"
                onClick={() => setTarget({ ...asked, responses: total })}
              >
                {t('abuse.excludeRange')}
              </button>
            </div>
          )}
        </>
      )}
      {!admin && <p class="muted">{t('abuse.adminsOnly')}</p>}

      <h3>{t('abuse.pastTitle')}</h3>
      {exclusions.state === 'error' && <LoadError error={exclusions.error} onRetry={exclusions.reload} />}
      {exclusions.data && <PastExclusions items={exclusions.data} />}

      {target && (
        <ExcludeDialog
          surveyId={surveyId}
          target={target}
          onClose={() => setTarget(undefined)}
          onDone={(exclusion) => {
            setTarget(undefined);
            toast(t('abuse.done', { responses: exclusion.excluded, followUps: exclusion.followUpsClosed }));
            clients.reload();
            exclusions.reload();
            onExcluded();
          }}
        />
      )}
    </section>
  );
}

function PastExclusions({ items }: { items: readonly Exclusion[] }) {
  if (items.length === 0) return <p class="muted">{t('abuse.noneYet')}</p>;
  const sorted = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <ScrollRegion label={t('abuse.pastTitle')}>
      <table class="exclusions">
        <caption class="sr-only">{t('abuse.pastTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('abuse.when')}</th>
            <th scope="col">{t('abuse.range')}</th>
            <th scope="col">{t('abuse.client')}</th>
            <th scope="col">{t('abuse.reason')}</th>
            <th scope="col" class="num">
              {t('abuse.excluded')}
            </th>
            <th scope="col" class="num">
              {t('abuse.followUpsClosed')}
            </th>
            <th scope="col">{t('abuse.by')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((x) => (
            <tr key={x.id}>
              <th scope="row">{fmt.dateTime(x.createdAt)}</th>
              <td>{shortSpan(x.from, x.to)}</td>
              <td>
                {x.clientHash ? <code title={x.clientHash}>{shortHash(x.clientHash)}</code> : t('abuse.everyone')}
              </td>
              <td class="reason">{x.reason}</td>
              <td class="num">{fmt.int(x.excluded)}</td>
              <td class="num">{fmt.int(x.followUpsClosed)}</td>
              <td>{x.createdBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function ExcludeDialog({
  surveyId,
  target,
  onClose,
  onDone,
}: {
  surveyId: string;
  target: Target;
  onClose: () => void;
  onDone: (exclusion: Exclusion) => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  // One key per confirmation: a retry after an unknown outcome finishes the same exclusion.
  const key = useRef(crypto.randomUUID());
  const who = target.client ? t('abuse.oneClient', { client: shortHash(target.client.clientHash) }) : t('abuse.all');

  async function exclude() {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await call(() =>
        api.POST('/v1/surveys/{id}/exclusions', {
          params: { path: { id: surveyId }, header: { 'Idempotency-Key': key.current } },
          body: {
            from: target.from,
            to: target.to,
            reason: reason.trim(),
            ...(target.client ? { clientHash: target.client.clientHash } : {}),
          },
        }),
      );
      onDone(data);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const reasonError = error?.fieldErrors().reason;
  return (
    <Dialog open title={t('abuse.confirmTitle')} onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void exclude();
        }}
      >
        <p>
          {t('abuse.confirmWhat', {
            responses: target.responses,
            who,
            from: fmt.dateTime(target.from),
            to: fmt.dateTime(target.to),
          })}
        </p>
        <ul>
          <li>{t('abuse.effectFigures')}</li>
          <li>{t('abuse.effectFollowUps')}</li>
          <li>{t('abuse.effectAudit')}</li>
        </ul>
        <Field id="abuse-reason" label={t('abuse.reason')} hint={t('abuse.reasonHint')} error={reasonError}>
          <textarea
            rows={2}
            required
            minLength={3}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </Field>
        {error && !reasonError && <LoadError error={error} />}
        <div class="row end">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" class="btn btn-danger" disabled={busy || reason.trim().length < 3}>
            {busy ? t('state.working') : t('abuse.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
