/**
 * One ops alarm the way all of Rapport's are made: named `<prefix>-<key>`, thresholds from the alarm
 * config, a description that names its runbook entry (docs/operations.md#<key>), notifying the ops
 * topic on ALARM and on OK.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, type ComparisonOperator, type IMetric, type TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import type { AlarmWindow, ThresholdAlarm } from '../../alarm-config';

export const RUNBOOK = 'docs/operations.md';

export interface OpsAlarmProps {
  /** Alarm names are `<prefix>-<key>` (the prefix is the main stack's name). */
  readonly prefix: string;
  readonly key: string;
  readonly metric: IMetric;
  readonly config: ThresholdAlarm;
  readonly comparisonOperator: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  readonly summary: string;
  readonly action: SnsAction;
}

/** Where a group of alarms goes: their name prefix and the ops topic they notify. */
export type OpsAlarmTarget = Pick<OpsAlarmProps, 'prefix' | 'action'>;

export function opsAlarm(scope: Construct, props: OpsAlarmProps): Alarm {
  const alarm = new Alarm(scope, `Alarm-${props.key}`, {
    alarmName: `${props.prefix}-${props.key}`,
    alarmDescription: `${props.summary} Runbook: ${RUNBOOK}#${props.key}`,
    metric: props.metric,
    threshold: props.config.threshold,
    evaluationPeriods: props.config.evaluationPeriods,
    datapointsToAlarm: props.config.datapointsToAlarm,
    comparisonOperator: props.comparisonOperator,
    treatMissingData: props.treatMissingData,
  });
  alarm.addAlarmAction(props.action);
  alarm.addOkAction(props.action);
  return alarm;
}

/** The period of an alarm window. */
export const minutes = (w: AlarmWindow) => Duration.minutes(w.periodMinutes);
