/**
 * Abuse, not ill health (so outside the composite "unhealthy"): the front door's WAF alarms, when the
 * WebACL lives in this stack (else they are in the edge stack, next to it: waf-alarms.ts), and a
 * survey receiving answers ≥ 10× its own hourly baseline (functions/domain/surveys/surge.ts).
 */
import type { Construct } from 'constructs';
import { metricNames } from '../../../../functions/contracts/metric-names';
import { minutes } from '../ops-alarm';
import { createWafAlarms } from '../waf-alarms';
import { type AlarmGroupProps, type Alarms, createAlarms } from './alarm-specs';

export interface AbuseAlarmsProps extends AlarmGroupProps {
  /** The WebACL's name when its alarms belong in this stack; undefined = none here. */
  readonly webAclNameHere: string | undefined;
}

export function createAbuseAlarms(scope: Construct, props: AbuseAlarmsProps): Alarms {
  const { target, config, metrics } = props;
  const waf =
    props.webAclNameHere === undefined
      ? {}
      : createWafAlarms(scope, { ...target, webAclName: props.webAclNameHere, config });
  const surge = createAlarms(scope, target, [
    {
      key: 'submission-surge',
      metric: metrics.business(metricNames.submissionSurge, minutes(config.submissionSurge)),
      config: config.submissionSurge,
      summary:
        'A survey is receiving answers at least ten times faster than its own hourly average of the past week: a flood of scripted answers, or a campaign nobody announced.',
    },
  ]);
  return { ...waf, ...surge };
}
