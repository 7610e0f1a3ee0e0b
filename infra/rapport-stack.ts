import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { type HttpFunctionName, httpFunctionNames } from '../functions/contracts/routes';
import type { RapportConfig } from './config';
import { AdminAuth } from './constructs/admin-auth';
import { DataTable } from './constructs/data-table';
import { RapportHttpApi } from './constructs/http-api';
import { Observability } from './constructs/observability';
import { type FunctionName, RapportFunction } from './constructs/rapport-function';
import { StreamAggregator } from './constructs/stream-aggregator';
import { WidgetHosting } from './constructs/widget-hosting';

export interface RapportStackProps extends StackProps {
  readonly config: RapportConfig;
}

const descriptions: Record<FunctionName, string> = {
  'public-api': 'Rapport public routes: survey definitions for the widget, response submission, health',
  'admin-api': 'Rapport admin routes: customers, surveys, reports, follow-ups',
  aggregator: 'Rapport stream aggregator: per-survey daily counts and satisfaction metrics',
};

/** Rapport in one stack: data, auth, functions, stream aggregation and the HTTP API (docs/design.md §2). */
export class RapportStack extends Stack {
  readonly data: DataTable;
  readonly auth: AdminAuth;
  readonly functions: Readonly<Record<FunctionName, RapportFunction>>;
  readonly httpApi: RapportHttpApi;
  readonly observability: Observability;
  readonly widget: WidgetHosting;

  constructor(scope: Construct, id: string, props: RapportStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.data = new DataTable(this, 'Data');
    const { table, key } = this.data;

    this.auth = new AdminAuth(this, 'Auth', { mfa: config.adminMfa, featurePlan: config.cognitoFeaturePlan });

    const makeFunction = (name: FunctionName): RapportFunction =>
      new RapportFunction(this, functionId(name), {
        name,
        description: descriptions[name],
        sizing: config.functions[name],
        logRetentionDays: config.logRetentionDays,
        logLevel: config.logLevel,
        environment: { TABLE_NAME: table.tableName, PHONE_REGION: config.phoneRegion },
      });
    this.functions = {
      'public-api': makeFunction('public-api'),
      'admin-api': makeFunction('admin-api'),
      aggregator: makeFunction('aggregator'),
    };
    const publicApi = this.functions['public-api'].fn;
    const adminApi = this.functions['admin-api'].fn;
    const aggregator = this.functions.aggregator.fn;

    // Least privilege (docs/design.md §2, §9).
    // public-api: read survey definitions, write responses (conditional put), health probe. Nothing else.
    table.grant(publicApi, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query');
    key.grant(publicApi, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
    // admin-api: the broad rights over the data.
    table.grantReadWriteData(adminApi);
    // aggregator: read the stream (granted by StreamAggregator), write the aggregates.
    table.grantWriteData(aggregator);
    const streamAggregator = new StreamAggregator(this, 'StreamAggregator', { table, fn: this.functions.aggregator });

    const indexResource = `Resource::<${this.getLogicalId(table.node.defaultChild as CfnTable)}.Arn>/index/*`;
    for (const name of ['public-api', 'admin-api', 'aggregator'] as const) {
      const role = this.functions[name].fn.role;
      if (!role) continue;
      Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[${indexResource}]`,
        reason: `CDK table grants also cover the table's own GSIs (table/<name>/index/*): ${name} queries GSI1/GSI2 of this one table only.`,
      });
    }
    for (const name of ['admin-api', 'aggregator'] as const) {
      const role = this.functions[name].fn.role;
      if (!role) continue;
      for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} is granted by table.grant*Data on the table's own customer-managed key only (resource is that key's ARN), as DynamoDB needs it to encrypt items written by ${name}.`,
        });
      }
    }

    const httpFunctions = Object.fromEntries(
      httpFunctionNames.map((name) => [name, this.functions[name].fn]),
    ) as Record<HttpFunctionName, RapportFunction['fn']>;
    this.httpApi = new RapportHttpApi(this, 'Http', {
      functions: httpFunctions,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.client,
      throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
      publicRouteThrottle: { rateLimit: config.publicRouteRateLimit, burstLimit: config.publicRouteBurstLimit },
      logRetentionDays: config.logRetentionDays,
    });

    // --- Observability: ops topic, alarms, availability probe, dashboard (docs/design.md §10) ---
    this.observability = new Observability(this, 'Observability', {
      config: config.alarms,
      alarmEmail: config.alarmEmail,
      logRetentionDays: config.logRetentionDays,
      logLevel: config.logLevel,
      functions: this.functions,
      httpApi: this.httpApi,
      table,
      deadLetterQueue: streamAggregator.deadLetterQueue,
    });
    new CfnOutput(this, 'OpsTopicArn', {
      value: this.observability.topic.topicArn,
      description: 'SNS topic of the ops alarms (subscribe more people here)',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.observability.dashboard.dashboardName,
      description: 'CloudWatch dashboard of Rapport',
    });
    // --- end observability ---

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', {
      value: this.auth.userPool.userPoolId,
      description: 'Cognito user pool of admins and analysts',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.auth.client.userPoolClientId,
      description: 'App client for the admin console (SRP, no secret)',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The DynamoDB table' });

    // --- Widget hosting (docs/design.md §8): S3 + CloudFront (OAC, HTTPS only); widget/dist deployed when built. ---
    this.widget = new WidgetHosting(this, 'Widget');
    new CfnOutput(this, 'WidgetUrl', {
      value: `${this.widget.url}/rapport.js`,
      description: 'Embed: <script src="…/rapport.js" data-survey="…" data-api="ApiUrl" async>',
    });
    // --- end widget hosting ---
  }
}

/** `public-api` → `PublicApi`. */
function functionId(name: FunctionName): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
