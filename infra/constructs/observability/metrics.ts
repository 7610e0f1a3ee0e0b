/**
 * Every metric Rapport's alarms and dashboard read, built in one place so an alarm and the graph of
 * the same thing can never drift apart. Builders, not constructs: each call makes a fresh metric for the
 * period (and label) its reader needs.
 */
import type { Duration } from 'aws-cdk-lib';
import { type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { BUSINESS_SERVICE, dimensionNames, metricNames } from '../../../functions/contracts/metric-names';
import { tableSchema } from '../../../functions/contracts/table-schema';
import type { AlarmConfig, RateAlarm, SatisfactionAlarm } from '../../alarm-config';
import type { RapportHttpApi } from '../http-api';
import type { FunctionName, RapportFunction } from '../rapport-function';
import { API_THROTTLED_METRIC } from './api-throttled-filter';
import { functionOfRouteGroup, type RouteGroup } from './route-groups';

/** DynamoDB operations Rapport calls (SystemErrors is per operation; an alarm takes at most 10 metrics). */
const DYNAMO_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
  'GetRecords',
];

export interface ObservabilityMetricsProps {
  readonly config: AlarmConfig;
  readonly functions: Readonly<Record<FunctionName, RapportFunction>>;
  readonly httpApi: RapportHttpApi;
  readonly table: Table;
  /** The aggregator's dead-letter queue (failed stream batches). */
  readonly deadLetterQueue: IQueue;
  /** The webhook delivery queue and the dead-letter queues of the sender and the fan-out. */
  readonly webhooks: {
    readonly queue: IQueue;
    readonly deadLetterQueue: IQueue;
    readonly streamDeadLetterQueue: IQueue;
  };
  /** Value of the probe's `Target` dimension (the stack name). */
  readonly probeTarget: string;
}

export class ObservabilityMetrics {
  constructor(private readonly props: ObservabilityMetricsProps) {}

  fn(name: FunctionName): IFunction {
    return this.props.functions[name].fn;
  }

  /** Latency of a route group: Duration of the one function that serves it (route-groups.ts). */
  latency(group: RouteGroup, period: Duration, statistic = 'p99'): Metric {
    return this.fn(functionOfRouteGroup(group)).metricDuration({
      statistic,
      period,
      label: `${group} routes (${functionOfRouteGroup(group)}) ${statistic}`,
    });
  }

  serverErrorRate(period: Duration): MathExpression {
    const { stage } = this.props.httpApi;
    return new MathExpression({
      // Ids are unique per dashboard graph, hence the prefixes.
      expression: 'IF(api_requests > 0, 100 * FILL(api_5xx, 0) / api_requests, 0)',
      usingMetrics: {
        api_5xx: stage.metricServerError({ statistic: 'Sum', period }),
        api_requests: stage.metricCount({ statistic: 'Sum', period }),
      },
      period,
      label: 'API 5xx rate (%)',
    });
  }

  clientErrorRate(period: Duration): MathExpression {
    const { stage } = this.props.httpApi;
    return new MathExpression({
      // Periods with few requests are not judged: two 404s out of three requests make no rate.
      expression: `IF(api_requests_4xx >= ${this.props.config.clientErrorRatePercent.minRequests}, 100 * FILL(api_4xx, 0) / api_requests_4xx, 0)`,
      usingMetrics: {
        api_4xx: stage.metricClientError({ statistic: 'Sum', period }),
        api_requests_4xx: stage.metricCount({ statistic: 'Sum', period }),
      },
      period,
      label: 'API 4xx rate (%)',
    });
  }

  /** Counted by the access-log metric filter (api-throttled-filter.ts). */
  apiThrottled(period: Duration): Metric {
    return new Metric({
      namespace: this.props.config.metricsNamespace,
      metricName: API_THROTTLED_METRIC,
      statistic: 'Sum',
      period,
      label: 'API Gateway 429s',
    });
  }

  lambdaErrorRate(name: FunctionName, period: Duration): MathExpression {
    const id = name.replace(/-/g, '_');
    return new MathExpression({
      expression: `IF(${id}_invocations > 0, 100 * FILL(${id}_errors, 0) / ${id}_invocations, 0)`,
      usingMetrics: {
        [`${id}_errors`]: this.fn(name).metricErrors({ statistic: 'Sum', period }),
        [`${id}_invocations`]: this.fn(name).metricInvocations({ statistic: 'Sum', period }),
      },
      period,
      label: `${name} error rate (%)`,
    });
  }

  lambdaThrottles(name: FunctionName, period: Duration, label?: string): Metric {
    return this.fn(name).metricThrottles({ statistic: 'Sum', period, ...(label === undefined ? {} : { label }) });
  }

  /** How far the aggregator is behind the table stream (ms). */
  iteratorAge(period: Duration, label?: string): Metric {
    return this.fn('aggregator').metric('IteratorAge', {
      statistic: 'Maximum',
      period,
      ...(label === undefined ? {} : { label }),
    });
  }

  deadLetterMessages(period: Duration, label?: string): Metric {
    return this.props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: 'Maximum',
      period,
      ...(label === undefined ? {} : { label }),
    });
  }

  /** A metric the availability probe publishes. */
  probe(metricName: string, statistic: string, period: Duration): Metric {
    return new Metric({
      namespace: this.props.config.probeNamespace,
      metricName,
      dimensionsMap: { [dimensionNames.target]: this.props.probeTarget },
      statistic,
      period,
    });
  }

  availability(period: Duration): MathExpression {
    return new MathExpression({
      expression: '100 * availability',
      usingMetrics: { availability: this.probe(metricNames.availability, 'Average', period) },
      period,
      label: 'Availability (%)',
    });
  }

  dynamoThrottles(period: Duration): MathExpression {
    const usingMetrics: Record<string, IMetric> = {};
    const indexes: (string | undefined)[] = [undefined, ...tableSchema.globalSecondaryIndexes.map((i) => i.indexName)];
    indexes.forEach((index, i) => {
      for (const kind of ['Read', 'Write'] as const) {
        usingMetrics[`throttles_${kind.toLowerCase()}${i}`] = new Metric({
          namespace: 'AWS/DynamoDB',
          metricName: `${kind}ThrottleEvents`,
          dimensionsMap: {
            TableName: this.props.table.tableName,
            ...(index ? { GlobalSecondaryIndexName: index } : {}),
          },
          statistic: 'Sum',
          period,
        });
      }
    });
    return new MathExpression({
      expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      period,
      label: 'DynamoDB throttle events (table + GSIs)',
    });
  }

  dynamoSystemErrors(period: Duration): MathExpression {
    const usingMetrics: Record<string, IMetric> = {};
    DYNAMO_OPERATIONS.forEach((operation, i) => {
      usingMetrics[`system_errors_${i}`] = new Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'SystemErrors',
        dimensionsMap: { TableName: this.props.table.tableName, Operation: operation },
        statistic: 'Sum',
        period,
      });
    });
    return new MathExpression({
      expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      period,
      label: 'DynamoDB system errors',
    });
  }

  /** A metric the functions publish across all surveys (functions/contracts/metric-names.ts), summed. */
  business(metricName: string, period: Duration): Metric {
    return new Metric({
      namespace: this.props.config.metricsNamespace,
      metricName,
      dimensionsMap: { [dimensionNames.service]: BUSINESS_SERVICE },
      statistic: 'Sum',
      period,
    });
  }

  csat(c: SatisfactionAlarm, period: Duration): MathExpression {
    return new MathExpression({
      // Below the minimum sample the window is not judged: report a CSAT that cannot breach.
      expression: `IF(csat_rated >= ${c.minSample}, 100 * csat_satisfied / csat_rated, 100)`,
      usingMetrics: {
        csat_satisfied: this.business(metricNames.satisfied, period),
        csat_rated: this.business(metricNames.ratedAnswers, period),
      },
      period,
      label: 'CSAT, all surveys (%)',
    });
  }

  detractorShare(c: SatisfactionAlarm, period: Duration): MathExpression {
    return new MathExpression({
      expression: `IF(ds_rated >= ${c.minSample}, 100 * ds_detractors / ds_rated, 0)`,
      usingMetrics: {
        ds_detractors: this.business(metricNames.detractors, period),
        ds_rated: this.business(metricNames.ratedAnswers, period),
      },
      period,
      label: 'Detractor share, all surveys (%)',
    });
  }

  /** Webhook attempts without a 2xx as % of attempts; periods with fewer than `minRequests` attempts read 0. */
  webhookFailureRate(c: RateAlarm, period: Duration): MathExpression {
    return new MathExpression({
      expression: `IF(wh_attempts >= ${c.minRequests}, 100 * FILL(wh_failures, 0) / wh_attempts, 0)`,
      usingMetrics: {
        wh_failures: this.business(metricNames.webhookAttemptFailures, period),
        wh_attempts: this.business(metricNames.webhookAttempts, period),
      },
      period,
      label: 'Webhook attempts failing (%)',
    });
  }

  /** Messages waiting in both webhook dead-letter queues (sender and fan-out). */
  webhookDeadLetterMessages(period: Duration): MathExpression {
    const visible = (q: IQueue) => q.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period });
    return new MathExpression({
      expression: 'FILL(wh_dlq, 0) + FILL(wh_stream_dlq, 0)',
      usingMetrics: {
        wh_dlq: visible(this.props.webhooks.deadLetterQueue),
        wh_stream_dlq: visible(this.props.webhooks.streamDeadLetterQueue),
      },
      period,
      label: 'Webhook DLQ messages',
    });
  }
}
