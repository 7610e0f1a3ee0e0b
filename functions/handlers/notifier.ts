/**
 * Lambda entry of the notification job, on a schedule (EventBridge Scheduler; locally a timer): for
 * every active survey, evaluate drop alerts when due and e-mail the stored events, then send the
 * digest when due. Each survey is independent: one that fails is counted (`NotificationJobFailed`),
 * the others go on, and the invocation then fails so the job-failure alarm sees it (the retry sends
 * nothing twice).
 *
 * Environment: TABLE_NAME; MAIL_FROM (SES sender; unset = no e-mail is sent, a warning per run);
 * PUBLIC_URL (the front door: unsubscribe links); CONSOLE_URL (links to the results; optional).
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { systemClock } from '../adapters/clock';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoAggregateStore } from '../adapters/dynamodb/dynamo-aggregate-store';
import { DynamoFollowUpStore } from '../adapters/dynamodb/dynamo-followup-store';
import { DynamoNotificationStore } from '../adapters/dynamodb/dynamo-notification-store';
import { DynamoResponseStore } from '../adapters/dynamodb/dynamo-response-store';
import { DynamoSurveyStore } from '../adapters/dynamodb/dynamo-survey-store';
import { SesMailer } from '../adapters/mail/ses-mailer';
import type { Mailer } from '../domain/mail/mailer';
import { AlertJob } from '../domain/notifications/alert-job';
import { DigestJob } from '../domain/notifications/digest-job';
import type { Clock } from '../domain/ports';
import { ReportService } from '../domain/surveys/report-service';
import type { Survey } from '../domain/surveys/survey';
import { logger } from '../observability/logger';
import { recordAlertEvent, recordEmailSendFailed, recordNotificationJobFailed } from '../observability/metrics';

const db = createDocumentClient('notifier');
const table = tableNameFrom();
const surveys = new DynamoSurveyStore(db, table);
const aggregates = new DynamoAggregateStore(db, table);
const followUps = new DynamoFollowUpStore(db, table);
const store = new DynamoNotificationStore(db, table);

export interface NotifierOptions {
  /** Undefined: nothing is e-mailed (alerts are still evaluated and stored). */
  mailer: Mailer | undefined;
  /** Base URL of the public API for unsubscribe links (the front door, or the local gateway). */
  publicUrl: string;
  consoleUrl?: string | undefined;
  clock?: Clock;
}

export interface NotifierRun {
  surveys: number;
  failedSurveys: number;
  alertEvents: number;
  alertMails: number;
  digestMails: number;
  failedMails: number;
}

export class NotifierRunFailed extends Error {
  override readonly name = 'NotifierRunFailed';
}

async function activeSurveys(): Promise<Survey[]> {
  const all: Survey[] = [];
  let cursor: string | undefined;
  do {
    const page = await surveys.list({ status: 'active', limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** The job with its mailer and clock chosen by the caller: the Lambda entry below, or the local runtime. */
export function createNotifier(options: NotifierOptions): { run(): Promise<NotifierRun> } {
  const clock = options.clock ?? systemClock;
  const onMailFailure = (kind: 'alert' | 'digest', error: unknown) => {
    recordEmailSendFailed(kind);
    logger.error('e-mail not sent', { kind, error: error instanceof Error ? error.name : String(error) });
  };
  const alerts = new AlertJob({
    aggregates,
    alerts: store,
    ledger: store,
    mailer: options.mailer,
    clock,
    consoleUrl: options.consoleUrl,
    onEvent: (event) => recordAlertEvent(event.surveyId, event.type),
    onMailFailure,
  });
  const responses = new DynamoResponseStore(db, table);
  const digests = options.mailer
    ? new DigestJob({
        reports: new ReportService({ surveys, responses, aggregates, followUps, clock }),
        aggregates,
        followUps,
        optOuts: store,
        secrets: store,
        ledger: store,
        mailer: options.mailer,
        clock,
        publicUrl: options.publicUrl,
        consoleUrl: options.consoleUrl,
        onMailFailure,
      })
    : undefined;

  return {
    async run() {
      if (!options.mailer)
        logger.warn('no mail sender is configured (mailFrom): alerts are evaluated, nothing is e-mailed');
      const run: NotifierRun = {
        surveys: 0,
        failedSurveys: 0,
        alertEvents: 0,
        alertMails: 0,
        digestMails: 0,
        failedMails: 0,
      };
      for (const survey of await activeSurveys()) {
        run.surveys++;
        let failed = false;
        try {
          const a = await alerts.run(survey);
          run.alertEvents += a.events;
          run.alertMails += a.sent;
          run.failedMails += a.failed;
        } catch (error) {
          failed = true;
          recordNotificationJobFailed('alert');
          logger.error('alert evaluation failed', { surveyId: survey.id, error: describe(error) });
        }
        try {
          const d = await digests?.run(survey);
          run.digestMails += d?.sent ?? 0;
          run.failedMails += d?.failed ?? 0;
        } catch (error) {
          failed = true;
          recordNotificationJobFailed('digest');
          logger.error('digest failed', { surveyId: survey.id, error: describe(error) });
        }
        if (failed) run.failedSurveys++;
      }
      logger.info('notifications run', { ...run });
      if (run.failedSurveys) throw new NotifierRunFailed(`${run.failedSurveys} of ${run.surveys} surveys failed`);
      return run;
    },
  };
}

function describe(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : String(error);
}

let lambdaNotifier: { run(): Promise<NotifierRun> } | undefined;

export class NotifierConfigError extends Error {
  override readonly name = 'NotifierConfigError';
}

export const handler = async (): Promise<NotifierRun> => {
  const from = process.env.MAIL_FROM;
  const publicUrl = process.env.PUBLIC_URL ?? '';
  // Digests carry unsubscribe links: without an absolute https base they would be broken links.
  if (from && !/^https:\/\/[^/]/.test(publicUrl)) {
    throw new NotifierConfigError('PUBLIC_URL must be the https front-door URL when MAIL_FROM is set');
  }
  lambdaNotifier ??= createNotifier({
    mailer: from ? new SesMailer(new SESv2Client({}), from) : undefined,
    publicUrl,
    consoleUrl: process.env.CONSOLE_URL || undefined,
  });
  return lambdaNotifier.run();
};
