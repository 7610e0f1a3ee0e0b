/**
 * Alarms on the notification job: e-mails the mailer (SES) did not take, and surveys the job failed
 * on. The job's own failures (any survey failed, or a crash) also show as `notifier-error-rate`.
 */
import type { Construct } from 'constructs';
import { metricNames } from '../../../../functions/contracts/metric-names';
import { minutes } from '../ops-alarm';
import { type AlarmGroupProps, type Alarms, createAlarms } from './alarm-specs';

export function createNotificationAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(scope, target, [
    {
      key: 'email-send-failed',
      metric: metrics.business(metricNames.emailSendFailed, minutes(config.emailSendFailed)),
      config: config.emailSendFailed,
      summary: 'Alert or digest e-mails could not be sent (SES refused or failed): people are not being told.',
    },
    {
      key: 'notification-job-failed',
      metric: metrics.business(metricNames.notificationJobFailed, minutes(config.notificationJobFailed)),
      config: config.notificationJobFailed,
      summary: 'The notification job failed on at least one survey: its drop alerts or digest did not go out.',
    },
  ]);
}
