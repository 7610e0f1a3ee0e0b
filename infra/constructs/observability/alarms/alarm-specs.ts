/**
 * An alarm group is a list of specs: what to watch, its thresholds and what it means. One function
 * turns them into ops alarms, so every group makes its alarms the same way (ops-alarm.ts).
 */
import { type Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { AlarmConfig, ThresholdAlarm } from '../../../alarm-config';
import type { ObservabilityMetrics } from '../metrics';
import { type OpsAlarmTarget, opsAlarm } from '../ops-alarm';

export interface AlarmSpec {
  /** Alarm name `<prefix>-<key>`, and the runbook anchor. */
  readonly key: string;
  readonly metric: IMetric;
  readonly config: ThresholdAlarm;
  /** Default: above the threshold is the breach. */
  readonly comparisonOperator?: ComparisonOperator;
  /** Default: no data is no trouble (nothing happened in the period). */
  readonly treatMissingData?: TreatMissingData;
  /** One sentence for whoever is paged; the runbook link is appended. */
  readonly summary: string;
}

/** What every alarm group needs. */
export interface AlarmGroupProps {
  readonly target: OpsAlarmTarget;
  readonly config: AlarmConfig;
  readonly metrics: ObservabilityMetrics;
}

/** Alarms by key, in the order they were made (the template's and the dashboard's order). */
export type Alarms = Record<string, Alarm>;

/** Makes the alarms of `specs` in `scope`, in order. */
export function createAlarms(scope: Construct, target: OpsAlarmTarget, specs: readonly AlarmSpec[]): Alarms {
  const alarms: Alarms = {};
  for (const spec of specs) {
    alarms[spec.key] = opsAlarm(scope, {
      ...target,
      key: spec.key,
      metric: spec.metric,
      config: spec.config,
      comparisonOperator: spec.comparisonOperator ?? ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      summary: spec.summary,
    });
  }
  return alarms;
}
