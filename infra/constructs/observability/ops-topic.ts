/**
 * The ops alarm topic: SNS, encrypted with its own rotating customer-managed key, TLS only, published
 * to by CloudWatch alarms of this account and region only, with the `alarmEmail` subscription.
 *
 * A topic nobody reads makes every alarm silent, so without `alarmEmail` the synth fails (an error
 * annotation) unless `acknowledgeNoAlarmEmail=true` says someone will subscribe by hand.
 */
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface OpsTopicProps {
  readonly displayName: string;
  readonly alarmEmail: string | undefined;
  readonly acknowledgeNoAlarmEmail: boolean;
}

export const NO_ALARM_EMAIL = 'rapport:Observability.noAlarmEmail';

/** Creates the key (`TopicKey`) and topic (`OpsTopic`) directly in `scope`, so their ids stay stable. */
export function createOpsTopic(scope: Construct, props: OpsTopicProps): { topic: Topic; key: Key } {
  const stack = Stack.of(scope);
  const key = new Key(scope, 'TopicKey', {
    description: 'Rapport: encrypts the ops alarm topic',
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
  });
  // CloudWatch publishes alarm notifications itself: it needs the key (AWS-managed SNS keys can't
  // grant that, hence a customer-managed one), limited to alarms of this account.
  const fromOwnAlarms = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
  };
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToUseTheKey',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromOwnAlarms,
    }),
  );
  const topic = new Topic(scope, 'OpsTopic', { displayName: props.displayName, masterKey: key, enforceSSL: true });
  // The TLS-only topic policy replaces SNS's default policy, so CloudWatch must be allowed explicitly.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromOwnAlarms,
    }),
  );
  if (props.alarmEmail) {
    topic.addSubscription(new EmailSubscription(props.alarmEmail));
  } else if (props.acknowledgeNoAlarmEmail) {
    Annotations.of(scope).addWarningV2(
      NO_ALARM_EMAIL,
      'No alarmEmail (acknowledged with acknowledgeNoAlarmEmail=true): the ops topic has no subscriber until someone subscribes by hand (docs/operations.md).',
    );
  } else {
    Annotations.of(scope).addError(
      'No alarmEmail in the CDK context: the ops topic would have no subscriber and every alarm would be silent. Deploy with -c alarmEmail=ops@example.com, or with -c acknowledgeNoAlarmEmail=true and subscribe by hand (docs/operations.md).',
    );
  }
  return { topic, key };
}
