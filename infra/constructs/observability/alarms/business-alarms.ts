/**
 * Satisfaction falling across all surveys: CSAT and detractor share. The service may be perfectly
 * healthy, so these stay outside the composite "unhealthy"; small windows are not judged.
 */
import { ComparisonOperator } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { minutes } from '../ops-alarm';
import { type AlarmGroupProps, type Alarms, createAlarms } from './alarm-specs';

export function createBusinessAlarms(scope: Construct, { target, config, metrics }: AlarmGroupProps): Alarms {
  const { csatPercent: csat, detractorSharePercent: detractors } = config;
  return createAlarms(scope, target, [
    {
      key: 'csat',
      metric: metrics.csat(csat, minutes(csat)),
      config: csat,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      summary: `CSAT across all surveys below ${csat.threshold}% over ${csat.periodMinutes} min (windows with fewer than ${csat.minSample} rated answers are not judged).`,
    },
    {
      key: 'detractor-share',
      metric: metrics.detractorShare(detractors, minutes(detractors)),
      config: detractors,
      summary: `Detractor share across all surveys above ${detractors.threshold}% over ${detractors.periodMinutes} min (windows with fewer than ${detractors.minSample} rated answers are not judged).`,
    },
  ]);
}
