/**
 * HTTP APIs publish no metric for the requests API Gateway refused with 429, so Rapport counts them
 * itself: a metric filter on the stage's access log.
 */
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Requests API Gateway refused with 429, counted by a metric filter on its access log. */
export const API_THROTTLED_METRIC = 'ApiThrottled';

/** Creates the filter (`ApiThrottledFilter`) directly in `scope`, so its logical id stays stable. */
export function createApiThrottledFilter(scope: Construct, accessLogGroup: ILogGroup, namespace: string): MetricFilter {
  return new MetricFilter(scope, 'ApiThrottledFilter', {
    logGroup: accessLogGroup,
    // Every field of the access-log line is a JSON string (see http-api.ts).
    filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
    metricNamespace: namespace,
    metricName: API_THROTTLED_METRIC,
    metricValue: '1',
  });
}
