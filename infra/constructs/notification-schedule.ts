import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { RapportFunction } from './rapport-function';
import { grantSendEmail } from './ses-send-permission';

export interface NotificationScheduleProps {
  /** The notifier function (functions/handlers/notifier.ts). */
  readonly fn: RapportFunction;
  /** The SES sender (`mailFrom`); undefined = no SES permission, nothing is e-mailed (a synth warning says so). */
  readonly mailFrom: string | undefined;
  readonly everyMinutes: number;
}

export const NO_MAIL_FROM = 'rapport:no-mail-from';

/**
 * The alert and digest job on a clock (docs/alerts.md, "Who hears it"). EventBridge Scheduler rather
 * than a scheduled EventBridge rule: it is the service AWS builds scheduling on (rules' schedules are
 * its legacy), it has a role of its own that may invoke exactly this function, a retry policy and a
 * maximum event age per target, and time-zone-aware cron should a fixed local time ever be wanted.
 * The job decides itself, per survey, what is due (each survey's digest has its own time zone), so one
 * rate schedule serves every survey.
 *
 * SES: `grantSendEmail` (the sender's identity only, with that From address).
 */
export class NotificationSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: NotificationScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    if (props.mailFrom) {
      grantSendEmail(props.fn, props.mailFrom);
    } else {
      Annotations.of(this).addWarningV2(
        NO_MAIL_FROM,
        'No mailFrom in the CDK context: drop alerts are evaluated and stored (webhooks and metrics see them) but no alert or digest e-mail is sent, and the notifier has no SES permission. Deploy with -c mailFrom="Rapport <alerts@example.com>" (a verified SES identity) to send them.',
      );
    }

    // A role of its own (not the stack-wide one CDK would share between schedules): invoke this function only.
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Rapport notifications schedule: may invoke the notifier function, nothing else',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Rapport notifications of ${stack.stackName}: alert evaluation and digests every ${props.everyMinutes} min`,
      schedule: ScheduleExpression.rate(Duration.minutes(props.everyMinutes)),
      // A retried run sends nothing twice (the mail ledger); a run later than the next one is pointless.
      target: new LambdaInvoke(props.fn.fn, {
        role,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(Math.max(props.everyMinutes, 15)),
      }),
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.fn.fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the notifier function and its versions/aliases (`<arn>:*`, what grantInvoke writes); the role may invoke nothing else.',
    });
  }
}
