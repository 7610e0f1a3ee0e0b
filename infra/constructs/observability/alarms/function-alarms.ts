/** Alarms on the app's Lambda functions (public-api, admin-api, aggregator): failures and throttling. */
import type { Construct } from 'constructs';
import { tableFunctions } from '../../../../functions/contracts/data-access';
import { minutes } from '../ops-alarm';
import { type AlarmGroupProps, type Alarms, createAlarms } from './alarm-specs';

/** One error-rate alarm per function. */
export function createFunctionErrorAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(
    scope,
    target,
    tableFunctions.map((name) => ({
      key: `${name}-error-rate`,
      metric: metrics.lambdaErrorRate(name, minutes(config.lambdaErrorRatePercent)),
      config: config.lambdaErrorRatePercent,
      summary: `More than ${config.lambdaErrorRatePercent.threshold}% of ${name} invocations failed.`,
    })),
  );
}

/** One throttles alarm per function. */
export function createFunctionThrottleAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  return createAlarms(
    scope,
    target,
    tableFunctions.map((name) => ({
      key: `${name}-throttles`,
      metric: metrics.lambdaThrottles(name, minutes(config.lambdaThrottles)),
      config: config.lambdaThrottles,
      summary: `Lambda throttled ${name} (concurrency limit reached).`,
    })),
  );
}
