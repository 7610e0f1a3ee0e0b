/**
 * The composite "unhealthy": ALARM while at least one technical alarm (latency, errors, availability,
 * throttling, stream) is, so one page says "Rapport is unwell" however many symptoms fire.
 */
import { type Alarm, AlarmRule, AlarmState, CompositeAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { type OpsAlarmTarget, RUNBOOK } from '../ops-alarm';

export function createUnhealthyAlarm(
  scope: Construct,
  target: OpsAlarmTarget,
  technicalAlarms: readonly Alarm[],
): CompositeAlarm {
  const unhealthy = new CompositeAlarm(scope, 'Unhealthy', {
    compositeAlarmName: `${target.prefix}-unhealthy`,
    alarmDescription: `Rapport unhealthy: at least one technical alarm (latency, errors, availability, throttling, stream) is in ALARM. Runbook: ${RUNBOOK}#unhealthy`,
    alarmRule: AlarmRule.anyOf(...technicalAlarms.map((a) => AlarmRule.fromAlarm(a, AlarmState.ALARM))),
  });
  unhealthy.addAlarmAction(target.action);
  unhealthy.addOkAction(target.action);
  return unhealthy;
}
