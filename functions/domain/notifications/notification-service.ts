/**
 * The notification use cases behind HTTP: what the admin sees of a survey's alerts, and the one-click
 * unsubscribe (RFC 8058) a digest's link leads to. Unsubscribing is idempotent, writes one opt-out
 * and one audit entry, and refuses a link whose signature does not hold (nothing is written then).
 */
import type { AuditStore } from '../audit/audit-entry';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Clock } from '../ports';
import type { SurveyStore } from '../surveys/survey-store';
import { shiftDay } from './alert-schedule';
import type { SurveyAlerts } from './notification-routes-schema';
import type { AlertStore, DigestOptOuts } from './notification-store';
import { recipientRef } from './recipient-ref';
import { verifyUnsubscribe } from './unsubscribe-link';
import type { UnsubscribeQuery } from './unsubscribe-schema';

export interface NotificationServiceDeps {
  surveys: Pick<SurveyStore, 'get'>;
  alerts?: Pick<AlertStore, 'getState' | 'recentEvents'>;
  optOuts: Partial<DigestOptOuts>;
  /** Reads the signing secret; never creates it (only the job that signs links does). */
  readSecret?: () => Promise<Uint8Array | undefined>;
  audit?: Pick<AuditStore, 'append'>;
  clock: Clock;
}

export class NotificationService {
  constructor(private readonly deps: NotificationServiceDeps) {}

  async alerts(surveyId: string, days: number): Promise<SurveyAlerts> {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    if (!this.deps.alerts || !this.deps.optOuts.optedOut) throw new Error('NotificationService: alerts not wired');
    const state = await this.deps.alerts.getState(surveyId);
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const events = await this.deps.alerts.recentEvents(surveyId, shiftDay(today, -days));
    const optedOut = await this.deps.optOuts.optedOut(surveyId);
    return {
      surveyId,
      evaluatedThrough: state.evaluatedThrough ?? null,
      open: Object.values(state.states).map((a) => ({
        alertId: a.alertId,
        segment: a.segment,
        metric: a.metric,
        questionId: a.questionId,
        droppedOn: a.droppedOn,
        referenceValue: a.referenceValue,
        minimumDrop: a.minimumDrop,
      })),
      events: events.map((e) => ({
        event: e.event,
        recordedAt: e.recordedAt,
        ...(e.notifiedAt ? { emailedAt: e.notifiedAt } : {}),
      })),
      recipients: survey.notifications.recipients.map((r) => ({
        email: r.email,
        locale: r.locale,
        digest: optedOut.has(recipientRef(r.email)) ? 'unsubscribed' : 'subscribed',
      })),
    };
  }

  /** The link's signature holds and its survey exists; otherwise a 403 or a 404, and nothing is written. */
  async checkLink(query: UnsubscribeQuery): Promise<{ surveyName: string }> {
    const secret = await this.deps.readSecret?.();
    if (!secret || !verifyUnsubscribe(secret, query.survey, query.recipient, query.signature)) {
      throw new ForbiddenError('this unsubscribe link is not valid: use the link from the e-mail as it is');
    }
    const survey = await this.deps.surveys.get(query.survey);
    if (!survey) throw new NotFoundError(`survey ${query.survey} does not exist`);
    return { surveyName: survey.name };
  }

  async unsubscribe(query: UnsubscribeQuery, requestId: string): Promise<{ surveyName: string; already: boolean }> {
    const { surveyName } = await this.checkLink(query);
    if (!this.deps.optOuts.optOut) throw new Error('NotificationService: opt-outs not wired');
    const at = this.deps.clock.now().toISOString();
    const added = await this.deps.optOuts.optOut(query.survey, query.recipient, at);
    // Every click is audited (a repeated one as `replayed`), so a failed entry is made up by the next.
    if (this.deps.audit) {
      // The recipient is named by its hash only: an audit entry holds no address.
      await this.deps.audit.append({
        at,
        actor: 'unsubscribe-link',
        roles: [],
        operation: 'unsubscribeDigest',
        method: 'POST',
        path: '/v1/unsubscribe',
        ids: { survey: query.survey, recipient: query.recipient },
        queryNames: ['recipient', 'signature', 'survey'],
        status: 200,
        replayed: !added,
        requestId,
        kind: 'write',
      });
    }
    return { surveyName, already: !added };
  }
}
