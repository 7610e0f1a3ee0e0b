/**
 * `<stackName>-edge`, in us-east-1: what CloudFront needs from that region when the main stack lives
 * elsewhere. AWS WAF WebACLs for CloudFront (scope CLOUDFRONT) can only be created in us-east-1, and
 * their metrics are reported there, so the WebACL, its alarms and an ops topic for them live here.
 * The main stack reads the WebACL's ARN through CDK's cross-region references (an SSM parameter in
 * the main region, written by this stack); deploy both with `cdk deploy --all`.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import type { RapportConfig } from './config';
import { FrontDoorWebAcl } from './constructs/front-door/web-acl';
import { createOpsTopic } from './constructs/observability/ops-topic';
import { createWafAlarms } from './constructs/observability/waf-alarms';

/** WAF for CloudFront and CloudFront's own metrics live in this region. */
export const EDGE_REGION = 'us-east-1';

export interface RapportEdgeStackProps extends StackProps {
  readonly config: RapportConfig;
}

/** The WebACL's name: the same in either layout, so dashboards and runbooks name one thing. */
export const webAclNameOf = (stackName: string) => `${stackName}-front-door`;

export class RapportEdgeStack extends Stack {
  readonly webAcl: FrontDoorWebAcl;

  constructor(scope: Construct, id: string, props: RapportEdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.webAcl = new FrontDoorWebAcl(this, 'FrontDoorWaf', {
      name: webAclNameOf(config.stackName),
      rateLimits: config.rateLimits,
    });
    const { topic } = createOpsTopic(this, {
      displayName: `${config.stackName} ops alarms (front door WAF, ${EDGE_REGION})`,
      alarmEmail: config.alarmEmail,
      acknowledgeNoAlarmEmail: config.acknowledgeNoAlarmEmail,
    });
    createWafAlarms(this, {
      prefix: config.stackName,
      webAclName: this.webAcl.name,
      config: config.alarms,
      action: new SnsAction(topic),
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.arn, description: 'WAF WebACL of the front door' });
    new CfnOutput(this, 'OpsTopicArn', {
      value: topic.topicArn,
      description: `SNS topic of the WAF alarms (${EDGE_REGION}); subscribe the same people as the main ops topic`,
    });
  }
}
