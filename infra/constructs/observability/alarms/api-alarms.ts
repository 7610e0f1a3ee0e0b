/** Alarms on the API as its callers see it: latency per route group, error rates, 429s, availability. */
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { minutes } from '../ops-alarm';
import { functionOfRouteGroup, routeGroups } from '../route-groups';
import { type AlarmGroupProps, type Alarms, createAlarms } from './alarm-specs';

/** p99 latency per route group, the API's 5xx and 4xx rates, and API Gateway's own 429s. */
export function createApiAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(scope, target, [
    ...routeGroups.map((group) => {
      const c = config.latencyP99Ms[group];
      return {
        key: `${group}-latency-p99`,
        metric: metrics.latency(group, minutes(c)),
        config: c,
        summary: `p99 duration of ${functionOfRouteGroup(group)} (the ${group} routes) above its ${c.threshold} ms SLO.`,
      };
    }),
    {
      key: 'api-5xx-rate',
      metric: metrics.serverErrorRate(minutes(config.serverErrorRatePercent)),
      config: config.serverErrorRatePercent,
      summary: `More than ${config.serverErrorRatePercent.threshold}% of API requests answered 5xx.`,
    },
    {
      key: 'api-4xx-rate',
      metric: metrics.clientErrorRate(minutes(config.clientErrorRatePercent)),
      config: config.clientErrorRatePercent,
      summary: `More than ${config.clientErrorRatePercent.threshold}% of API requests answered 4xx (periods with at least ${config.clientErrorRatePercent.minRequests} requests).`,
    },
    {
      key: 'api-throttled',
      metric: metrics.apiThrottled(minutes(config.apiThrottled)),
      config: config.apiThrottled,
      summary: 'API Gateway answered 429: the stage or a public route is at its throttling limit, for everyone.',
    },
  ]);
}

/** The probe's view of GET /v1/health through the front door; silence is an outage too. */
export function createAvailabilityAlarm(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(scope, target, [
    {
      key: 'availability',
      metric: metrics.availability(minutes(config.availabilityPercent)),
      config: config.availabilityPercent,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
      summary: `The probe saw GET /v1/health available less than ${config.availabilityPercent.threshold}% of the time (no probe data counts as down).`,
    },
  ]);
}
