import { Duration, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { dataAccess, type TableFunction } from '../../functions/contracts/data-access';
import { requestDeadlineMs } from '../../functions/contracts/function-limits';
import { DEFAULT_METRICS_NAMESPACE } from '../../functions/contracts/metric-names';
import type { FunctionSizing, LogLevel } from '../config';
import { lambdaBundle } from '../lambda-bundle';
import { fromRoot, repoRoot } from '../paths';

/**
 * Every Lambda entry of the app that uses the table: `functions/handlers/<name>.ts`, each exporting
 * `handler`, each with a data-access contract (the probe is built on its own, without table access).
 */
export type FunctionName = TableFunction;

export interface RapportFunctionProps {
  readonly name: FunctionName;
  readonly description: string;
  readonly sizing: FunctionSizing;
  readonly logRetentionDays: number;
  readonly logLevel: LogLevel;
  /** Variables on top of the Powertools ones (TABLE_NAME, PHONE_REGION, …). */
  readonly environment: Record<string, string>;
}

/** How every Rapport function is bundled (infra/lambda-bundle.ts), in NodejsFunction's terms. */
export const lambdaBundling = {
  minify: lambdaBundle.minify,
  sourceMap: lambdaBundle.sourceMap,
  sourcesContent: lambdaBundle.sourcesContent,
  format: lambdaBundle.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
  target: lambdaBundle.target,
  mainFields: [...lambdaBundle.mainFields],
  banner: lambdaBundle.banner,
  externalModules: [...lambdaBundle.externalModules],
};

/**
 * One Lambda function the way all of Rapport's are built: Node.js 22 on arm64, an ESM bundle (AWS SDK
 * included, minified, with source maps), its own log group with retention, X-Ray active tracing and
 * the Powertools environment.
 */
export class RapportFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: RapportFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as RetentionDays,
    });

    this.fn = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: fromRoot(`functions/handlers/${props.name}.ts`),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: fromRoot('package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.sizing.memoryMb,
      timeout: Duration.seconds(props.sizing.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: `rapport-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: DEFAULT_METRICS_NAMESPACE,
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        // Every request is answered before this, well inside the function's timeout.
        REQUEST_DEADLINE_MS: String(requestDeadlineMs(props.sizing.timeoutSeconds)),
        ...props.environment,
      },
      bundling: lambdaBundling,
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: the bundles target node22 and the runtime moves only after the Powertools/middy stack is verified on a newer one; 22 is an AWS-supported LTS runtime.',
    });
    const role = this.fn.role;
    if (role) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
        reason: `AWS managed AWSLambdaBasicExecutionRole only lets ${props.name} write its own CloudWatch Logs streams; it grants no data access.`,
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: dataAccess[props.name].readsStream
          ? 'Resource "*" only for actions without resource-level permissions: xray:PutTraceSegments/PutTelemetryRecords (active tracing) and dynamodb:ListStreams (stream event source); every data action is scoped to the table.'
          : 'Resource "*" only for xray:PutTraceSegments/PutTelemetryRecords (active tracing), which support no resource-level permissions; every data action is scoped to the table.',
      });
    }
  }
}
