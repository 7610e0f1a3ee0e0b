/**
 * Alarms on the data: the DynamoDB table, the aggregator that follows its stream, and the audit log
 * written to it.
 */
import type { Construct } from 'constructs';
import { metricNames } from '../../../../functions/contracts/metric-names';
import { minutes } from '../ops-alarm';
import { type AlarmGroupProps, type Alarms, createAlarms } from './alarm-specs';

export function createDataAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(scope, target, [
    {
      key: 'dynamodb-throttles',
      metric: metrics.dynamoThrottles(minutes(config.dynamoThrottleEvents)),
      config: config.dynamoThrottleEvents,
      summary: 'DynamoDB throttled reads or writes on the table or its GSIs.',
    },
    {
      key: 'dynamodb-system-errors',
      metric: metrics.dynamoSystemErrors(minutes(config.dynamoSystemErrors)),
      config: config.dynamoSystemErrors,
      summary: 'DynamoDB answered with internal server errors.',
    },
    {
      key: 'aggregator-iterator-age',
      metric: metrics.iteratorAge(minutes(config.iteratorAgeMs)),
      config: config.iteratorAgeMs,
      summary: `The aggregator is more than ${config.iteratorAgeMs.threshold / 1000} s behind the table stream.`,
    },
    {
      key: 'aggregator-dlq',
      metric: metrics.deadLetterMessages(minutes(config.deadLetterMessages)),
      config: config.deadLetterMessages,
      summary:
        'Stream batches the aggregator gave up on are waiting in its dead-letter queue: aggregates are missing their counts.',
    },
    {
      key: 'aggregator-poisoned',
      metric: metrics.business(metricNames.streamRecordsPoisoned, minutes(config.poisonedRecords)),
      config: config.poisonedRecords,
      summary:
        'The aggregator set stream records aside that can never be applied: their responses or changes are missing from the aggregates until a rebuild.',
    },
    {
      key: 'audit-write-failed',
      metric: metrics.business(metricNames.auditWriteFailed, minutes(config.auditWriteFailed)),
      config: config.auditWriteFailed,
      summary:
        'Admin writes went through without an audit record, and reads of personal data were refused, because the audit log could not be written.',
    },
  ]);
}
