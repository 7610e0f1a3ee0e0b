import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LogLevel } from '../../config';
import { fromRoot, repoRoot } from '../../paths';
import { lambdaBundling } from '../rapport-function';

export interface ProbeFunctionProps {
  /** The health endpoint on the front door, `https://<distribution>/v1/health`: availability as users see it. */
  readonly healthUrl: string;
  /** The only CloudWatch namespace the probe may write to. */
  readonly namespace: string;
  /** Value of the probe's `Target` dimension (the stack name). */
  readonly target: string;
  readonly timeoutMs: number;
  readonly logRetentionDays: number;
  readonly logLevel: LogLevel;
}

/**
 * The availability probe (functions/handlers/probe.ts) on a one-minute EventBridge schedule. Built
 * like the other functions (Node.js 22, arm64, ESM bundle, own log group) but with a role of its own
 * and nothing else: write its log stream, and `cloudwatch:PutMetricData` into one namespace. No X-Ray
 * (it would need `xray:*` on `*` for a function whose whole output is two numbers).
 */
export class ProbeFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: ProbeFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', { retention: props.logRetentionDays as RetentionDays });

    // A role of our own instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rapport availability probe: own log group, PutMetricData into its namespace only',
    });
    this.logGroup.grantWrite(this.role);
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': props.namespace } },
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: `cloudwatch:PutMetricData has no resource-level permissions, so its resource must be "*"; the statement is limited by the cloudwatch:namespace condition to ${props.namespace}, the probe's own namespace.`,
    });

    this.fn = new NodejsFunction(this, 'Function', {
      description: 'Rapport availability probe: GET /v1/health every minute, publish Availability and ProbeLatency',
      entry: fromRoot('functions/handlers/probe.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: fromRoot('package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      // The HTTP timeout plus PutMetricData retries; a probe still running after this is a failed probe.
      timeout: Duration.seconds(Math.ceil(props.timeoutMs / 1000) + 15),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        HEALTH_URL: props.healthUrl,
        METRICS_NAMESPACE: props.namespace,
        PROBE_TARGET: props.target,
        PROBE_TIMEOUT_MS: String(props.timeoutMs),
        POWERTOOLS_SERVICE_NAME: 'rapport-probe',
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: lambdaBundling,
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose, like every Rapport function: the bundle targets node22 and the runtime moves with the others once verified; 22 is an AWS-supported LTS runtime.',
    });

    this.schedule = new Rule(this, 'Schedule', {
      description: `Rapport availability probe of ${Stack.of(this).stackName}: once a minute`,
      schedule: Schedule.rate(Duration.minutes(1)),
      // A late probe measures nothing: no retries, drop events older than a minute.
      targets: [new LambdaFunction(this.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
  }
}
