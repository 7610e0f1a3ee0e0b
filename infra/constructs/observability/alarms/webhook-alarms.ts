/**
 * Webhook alarms. Dead-lettered deliveries and a high failure rate are about subscribers' receivers
 * (outside the composite "unhealthy": Rapport is fine, someone's endpoint is not); messages in the
 * webhook dead-letter queues mean Rapport's own sender or fan-out kept failing (inside it).
 */
import type { Construct } from 'constructs';
import { metricNames } from '../../../../functions/contracts/metric-names';
import { minutes } from '../ops-alarm';
import { type AlarmGroupProps, type Alarms, createAlarms } from './alarm-specs';

export function createWebhookAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(scope, target, [
    {
      key: 'webhook-dead-lettered',
      metric: metrics.business(metricNames.webhookDeadLettered, minutes(config.webhookDeadLettered)),
      config: config.webhookDeadLettered,
      summary:
        'A webhook delivery used up its retries (more than 24 hours) and is dead-lettered: a subscriber is missing an event until it is replayed.',
    },
    {
      key: 'webhook-failure-rate',
      metric: metrics.webhookFailureRate(config.webhookFailureRatePercent, minutes(config.webhookFailureRatePercent)),
      config: config.webhookFailureRatePercent,
      summary: `More than ${config.webhookFailureRatePercent.threshold} % of webhook delivery attempts are failing: a receiver is down or refusing, or deliveries cannot leave.`,
    },
  ]);
}

export function createWebhookQueueAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(scope, target, [
    {
      key: 'webhook-dlq',
      metric: metrics.webhookDeadLetterMessages(minutes(config.webhookDeadLetterMessages)),
      config: config.webhookDeadLetterMessages,
      summary:
        'Messages are waiting in a webhook dead-letter queue: the sender or the fan-out kept failing on them (not a receiver): deliveries are stuck.',
    },
  ]);
}
