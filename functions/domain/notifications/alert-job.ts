/**
 * The scheduled alert evaluation (docs/alerts.md, "Who hears it"): per active survey, read the daily
 * aggregates of both windows (one Query, no response is read), run `evaluateAlerts`, store the new
 * open-alert state and the events in one conditional transaction (so of two overlapping runs only one
 * fires), then e-mail each stored event to every recipient once.
 *
 * Events are e-mailed from what is stored, not from what this run computed: a run that died after
 * storing its events leaves them un-notified, and the next run sends them.
 */
import { type AlertEvent, alertWindows, evaluateAlerts } from '../alerts';
import type { Mailer } from '../mail/mailer';
import type { Clock } from '../ports';
import type { AggregateStore } from '../surveys/aggregate-store';
import type { Survey } from '../surveys/survey';
import { alertMail } from './alert-mail';
import { dueEvaluationDay, shiftDay } from './alert-schedule';
import { deliverOnce, type MailDeliveryDeps } from './mail-delivery';
import type { AlertStore, MailKind, MailLedger } from './notification-store';
import { alertQuestionsOf, scopeWindows } from './window-histograms';

/** Stored events not yet e-mailed are picked up this many days after their day, no later. */
export const PENDING_EVENT_DAYS = 30;

export interface AlertJobDeps {
  aggregates: Pick<AggregateStore, 'read'>;
  alerts: AlertStore;
  ledger: MailLedger;
  /** Undefined: no sender is configured; events are stored (webhooks, metrics) and e-mailed once one is. */
  mailer: Mailer | undefined;
  clock: Clock;
  /** Where e-mails link to (the console); optional. */
  consoleUrl?: string | undefined;
  /** An event was stored for the first time (the per-survey EMF metric). */
  onEvent?: (event: AlertEvent) => void;
  onMailFailure?: (kind: MailKind, error: unknown) => void;
}

export interface AlertRunSummary {
  evaluated: number;
  events: number;
  sent: number;
  failed: number;
}

export class AlertJob {
  constructor(private readonly deps: AlertJobDeps) {}

  /** One survey: evaluate if due, then deliver what is pending. */
  async run(survey: Survey): Promise<AlertRunSummary> {
    const summary: AlertRunSummary = { evaluated: 0, events: 0, sent: 0, failed: 0 };
    const now = this.deps.clock.now();
    const thresholds = survey.notifications.alerts;
    const due = dueEvaluationDay(now, thresholds.currentDays);
    const record = await this.deps.alerts.getState(survey.id);
    if (!record.evaluatedThrough || record.evaluatedThrough < due) {
      const windows = alertWindows(due, thresholds);
      const rows = await this.deps.aggregates.read(survey.id, windows.baseline.from, windows.current.to);
      const result = evaluateAlerts({
        surveyId: survey.id,
        asOf: due,
        previous: record.states,
        input: { questions: alertQuestionsOf(survey), scopes: scopeWindows(survey, rows, windows), thresholds },
      });
      const committed = await this.deps.alerts.commit(
        survey.id,
        record.version,
        { states: result.states, evaluatedThrough: due },
        result.events,
        now.toISOString(),
      );
      if (committed) {
        summary.evaluated = 1;
        summary.events = result.events.length;
        for (const event of result.events) this.deps.onEvent?.(event);
      }
    }
    if (!this.deps.mailer) return summary;
    const delivery: MailDeliveryDeps = {
      ledger: this.deps.ledger,
      mailer: this.deps.mailer,
      now: () => this.deps.clock.now(),
      ...(this.deps.onMailFailure ? { onFailure: this.deps.onMailFailure } : {}),
    };
    const pending = (await this.deps.alerts.recentEvents(survey.id, shiftDay(due, -PENDING_EVENT_DAYS)))
      .filter((e) => !e.notifiedAt)
      .reverse(); // oldest first: a drop is told before its recovery
    for (const { event } of pending) {
      let failed = 0;
      for (const recipient of survey.notifications.recipients) {
        const outcome = await deliverOnce(delivery, alertMail(survey, event, recipient, this.deps.consoleUrl), {
          kind: 'alert',
          surveyId: survey.id,
        });
        if (outcome === 'sent') summary.sent++;
        if (outcome === 'failed') failed++;
      }
      summary.failed += failed;
      if (failed === 0) await this.deps.alerts.markNotified(survey.id, event, this.deps.clock.now().toISOString());
    }
    return summary;
  }
}
