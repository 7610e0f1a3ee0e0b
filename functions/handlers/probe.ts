/**
 * Lambda entry of the availability probe (docs/design.md §2, §10): on an EventBridge schedule, GET the public
 * health endpoint and publish `Availability` (1/0) and `ProbeLatency` (ms) with PutMetricData. A
 * failed look (timeout, 5xx, DNS) is a 0 that is still published; only failing to publish fails the
 * invocation (and then the Availability alarm, which treats missing data as breaching, fires).
 *
 * Environment: HEALTH_URL (https://…/v1/health), METRICS_NAMESPACE, PROBE_TARGET (the `Target`
 * dimension: which deployment is probed), PROBE_TIMEOUT_MS (default 5000).
 */
import type { StandardUnit } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchClient, putMetricData } from '../adapters/cloudwatch/client';
import { DEFAULT_PROBE_NAMESPACE, dimensionNames, metricNames } from '../contracts/metric-names';
import { checkHealth, type HealthObservation } from '../observability/health-check';
import { logger } from '../observability/logger';

const cloudwatch = createCloudWatchClient();

export interface ProbeConfig {
  readonly healthUrl: string;
  readonly namespace: string;
  readonly target: string;
  readonly timeoutMs: number;
}

export class ProbeConfigError extends Error {
  override readonly name = 'ProbeConfigError';
}

/** Reads and checks the probe's environment; plain http is allowed only for a loopback address. */
export function probeConfigFrom(env: NodeJS.ProcessEnv): ProbeConfig {
  const raw = env.HEALTH_URL;
  if (!raw) throw new ProbeConfigError('HEALTH_URL is not set');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProbeConfigError(`HEALTH_URL is not a URL: ${raw}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ProbeConfigError(`HEALTH_URL must be https (plain http only on loopback): ${raw}`);
  }
  const timeoutMs = env.PROBE_TIMEOUT_MS ? Number(env.PROBE_TIMEOUT_MS) : 5000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw new ProbeConfigError(`PROBE_TIMEOUT_MS must be an integer of milliseconds in [1, 60000]`);
  }
  return {
    healthUrl: url.toString(),
    namespace: env.METRICS_NAMESPACE || DEFAULT_PROBE_NAMESPACE,
    target: env.PROBE_TARGET || 'rapport',
    timeoutMs,
  };
}

export async function handler(): Promise<HealthObservation> {
  const config = probeConfigFrom(process.env);
  const at = new Date();
  const observation = await checkHealth(config.healthUrl, { timeoutMs: config.timeoutMs });
  const dimensions = [{ Name: dimensionNames.target, Value: config.target }];
  const datum = (name: string, value: number, unit: StandardUnit) => ({
    MetricName: name,
    Dimensions: dimensions,
    Timestamp: at,
    Value: value,
    Unit: unit,
  });
  const attempts = await putMetricData(cloudwatch, {
    Namespace: config.namespace,
    MetricData: [
      datum(metricNames.availability, observation.available ? 1 : 0, 'None'),
      datum(metricNames.probeLatency, observation.latencyMs, 'Milliseconds'),
    ],
  });
  const line = { target: config.target, ...observation, publishAttempts: attempts };
  if (observation.available) logger.info('probe', line);
  else logger.warn('probe: health endpoint unavailable', line);
  return observation;
}
