import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { tableFunctions } from '../functions/contracts/data-access';
import { type HttpFunctionName, httpFunctionNames } from '../functions/routes';
import type { RapportConfig } from './config';
import { AdminAuth } from './constructs/admin-auth';
import { grantDataAccess } from './constructs/data-access-policy';
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

/** Rapport in one stack: data, auth, functions, stream aggregation and the HTTP API. */
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

    // Least privilege: each function's rights come from its data-access contract
    // (functions/contracts/data-access.ts), which the local runtime enforces too.
    for (const name of tableFunctions) {
      grantDataAccess({ name, fn: this.functions[name].fn, table, key });
    }
    const streamAggregator = new StreamAggregator(this, 'StreamAggregator', { table, fn: this.functions.aggregator });

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

    // --- Observability: ops topic, alarms, availability probe, dashboard ---
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

    // --- Widget hosting: S3 + CloudFront (OAC, HTTPS only); widget/dist deployed when built. ---
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
