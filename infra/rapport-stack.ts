import { Aws, CfnOutput, CfnRule, Fn, Lazy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { tableFunctions } from '../functions/contracts/data-access';
import { type HttpFunctionName, httpFunctionNames } from '../functions/contracts/routes';
import type { RapportConfig } from './config';
import { AdminAuth, consoleScope } from './constructs/admin-auth';
import { grantDataAccess } from './constructs/data-access-policy';
import { DataTable } from './constructs/data-table';
import { FrontDoor } from './constructs/front-door';
import { FrontDoorWebAcl } from './constructs/front-door/web-acl';
import { RapportHttpApi } from './constructs/http-api';
import { NotificationSchedule } from './constructs/notification-schedule';
import { Observability } from './constructs/observability';
import { type FunctionName, RapportFunction } from './constructs/rapport-function';
import { grantSendEmail } from './constructs/ses-send-permission';
import { StreamAggregator } from './constructs/stream-aggregator';
import { WebhookDelivery } from './constructs/webhook-delivery';
import { EDGE_REGION, webAclNameOf } from './edge-stack';

export interface RapportStackProps extends StackProps {
  readonly config: RapportConfig;
  /**
   * The WebACL made by the `-edge` stack in us-east-1 (its ARN arrives by a cross-region reference);
   * undefined = this stack makes its own when WAF is on.
   */
  readonly edgeWebAcl?: FrontDoorWebAcl;
}

const descriptions: Record<FunctionName, string> = {
  'public-api': 'Rapport public routes: survey definitions for the widget, response submission, health',
  'admin-api': 'Rapport admin routes: customers, surveys, reports, follow-ups',
  aggregator: 'Rapport stream aggregator: per-survey daily counts and satisfaction metrics',
  'webhook-fanout': 'Rapport webhook fan-out: table changes to webhook deliveries and their queue messages',
  'webhook-sender': 'Rapport webhook sender: signed delivery attempts with retries, from the delivery queue',
  notifier: 'Rapport notifications: scheduled drop-alert evaluation and digest e-mails',
};

/** Rapport in one stack: data, auth, functions, stream aggregation and the HTTP API (docs/design.md §2). */
export class RapportStack extends Stack {
  readonly data: DataTable;
  readonly auth: AdminAuth;
  readonly functions: Readonly<Record<FunctionName, RapportFunction>>;
  readonly httpApi: RapportHttpApi;
  readonly observability: Observability;
  readonly frontDoor: FrontDoor;
  readonly webhooks: WebhookDelivery;
  /** The WebACL when it lives in this stack (us-east-1 or region-agnostic); undefined otherwise. */
  readonly webAcl: FrontDoorWebAcl | undefined;

  constructor(scope: Construct, id: string, props: RapportStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.data = new DataTable(this, 'Data');
    const { table, key } = this.data;

    // The app client's callback URL is the front door, which is built later (it needs the HTTP API,
    // whose authorizer needs the client): resolved at synth, no cycle in the template.
    const consoleUrl = Lazy.string({ produce: () => this.frontDoor.url });
    this.auth = new AdminAuth(this, 'Auth', {
      mfa: config.adminMfa,
      featurePlan: config.cognitoFeaturePlan,
      consoleUrl,
      domainPrefix: config.consoleDomainPrefix,
    });

    const makeFunction = (name: FunctionName): RapportFunction =>
      new RapportFunction(this, functionId(name), {
        name,
        description: descriptions[name],
        sizing: config.functions[name],
        logRetentionDays: config.logRetentionDays,
        logLevel: config.logLevel,
        environment: {
          TABLE_NAME: table.tableName,
          PHONE_REGION: config.phoneRegion,
          ...(name === 'admin-api' || name === 'public-api'
            ? { AUDIT_RETENTION_DAYS: String(config.auditRetentionDays) }
            : {}),
          // The webhook sender e-mails a subscription's owner when it disables the subscription.
          ...(name === 'webhook-sender' && config.mailFrom ? { MAIL_FROM: config.mailFrom } : {}),
          ...(name === 'notifier'
            ? {
                // Unsubscribe links and links to the results both go through the front door.
                PUBLIC_URL: consoleUrl,
                CONSOLE_URL: consoleUrl,
                ...(config.mailFrom ? { MAIL_FROM: config.mailFrom } : {}),
              }
            : {}),
        },
      });
    this.functions = {
      'public-api': makeFunction('public-api'),
      'admin-api': makeFunction('admin-api'),
      aggregator: makeFunction('aggregator'),
      'webhook-fanout': makeFunction('webhook-fanout'),
      'webhook-sender': makeFunction('webhook-sender'),
      notifier: makeFunction('notifier'),
    };

    // Least privilege: each function's rights come from its data-access contract
    // (functions/contracts/data-access.ts), which the local runtime enforces too.
    for (const name of tableFunctions) {
      grantDataAccess({ name, fn: this.functions[name].fn, table, key });
    }
    if (config.mailFrom) grantSendEmail(this.functions['webhook-sender'], config.mailFrom);
    new NotificationSchedule(this, 'Notifications', {
      fn: this.functions.notifier,
      mailFrom: config.mailFrom,
      everyMinutes: config.notifierScheduleMinutes,
    });
    const streamAggregator = new StreamAggregator(this, 'StreamAggregator', { table, fn: this.functions.aggregator });
    this.webhooks = new WebhookDelivery(this, 'Webhooks', {
      table,
      fanout: this.functions['webhook-fanout'],
      sender: this.functions['webhook-sender'],
      senderTimeoutSeconds: config.functions['webhook-sender'].timeoutSeconds,
    });
    // The e-mail about a disabled webhook links to the console's Webhooks page.
    this.functions['webhook-sender'].fn.addEnvironment('CONSOLE_URL', consoleUrl);

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

    // --- The front door: CloudFront for console, widget and API, behind WAF ---
    this.webAcl = config.waf && !props.edgeWebAcl ? this.ownWebAcl(config) : undefined;
    const webAcl = props.edgeWebAcl ?? this.webAcl;
    this.frontDoor = new FrontDoor(this, 'FrontDoor', {
      api: this.httpApi.api,
      webAclArn: webAcl?.arn,
      cognito: {
        domainUrl: this.auth.domain.baseUrl(),
        idpUrl: `https://cognito-idp.${this.region}.${this.urlSuffix}`,
      },
      signIn: {
        authority: this.auth.userPool.userPoolProviderUrl,
        clientId: this.auth.client.userPoolClientId,
        scope: consoleScope,
        logoutUrl: `${this.auth.domain.baseUrl()}/logout`,
      },
    });

    // --- Observability: ops topic, alarms, availability probe, dashboard ---
    this.observability = new Observability(this, 'Observability', {
      config: config.alarms,
      alarmEmail: config.alarmEmail,
      acknowledgeNoAlarmEmail: config.acknowledgeNoAlarmEmail,
      healthUrl: `${this.frontDoor.url}/v1/health`,
      waf: webAcl ? { webAclName: webAcl.name, alarmsHere: webAcl === this.webAcl } : undefined,
      logRetentionDays: config.logRetentionDays,
      logLevel: config.logLevel,
      functions: this.functions,
      httpApi: this.httpApi,
      table,
      deadLetterQueue: streamAggregator.deadLetterQueue,
      webhooks: this.webhooks,
    });
    new CfnOutput(this, 'OpsTopicArn', {
      value: this.observability.topic.topicArn,
      description: 'SNS topic of the ops alarms (subscribe more people here)',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.observability.dashboard.dashboardName,
      description: 'CloudWatch dashboard of Rapport',
    });

    new CfnOutput(this, 'ConsoleUrl', {
      value: this.frontDoor.url,
      description: 'The admin console (and the origin of the API and the widget)',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: `${this.frontDoor.url}/v1`,
      description: 'Base URL of the API, through the front door (WAF): e.g. <ApiUrl>/health',
    });
    new CfnOutput(this, 'WidgetUrl', {
      value: `${this.frontDoor.url}/widget/rapport.js`,
      description: 'Embed: <script src="<WidgetUrl>" data-survey="…" data-api="<ConsoleUrl>" async>',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.auth.userPool.userPoolId,
      description: 'Cognito user pool of admins and analysts',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.auth.client.userPoolClientId,
      description: 'App client of the admin console (authorization code + PKCE, no secret)',
    });
    new CfnOutput(this, 'SignInUrl', {
      value: this.auth.domain.baseUrl(),
      description: 'Cognito managed login of the console',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The DynamoDB table' });
  }

  /**
   * The WebACL in this stack. WAF for CloudFront exists only in us-east-1: a region-agnostic stack
   * carries a template rule that stops a deploy anywhere else before it creates anything.
   */
  private ownWebAcl(config: RapportConfig): FrontDoorWebAcl {
    if (Token.isUnresolved(this.region)) {
      new CfnRule(this, 'WafNeedsUsEast1', {
        assertions: [
          {
            assert: Fn.conditionEquals(Aws.REGION, EDGE_REGION),
            assertDescription: `The WAF WebACL of the front door must be created in ${EDGE_REGION}. Deploy there, or synthesise with -c region=<your region> (the WebACL then goes to a ${config.stackName}-edge stack in ${EDGE_REGION}), or with -c waf=false.`,
          },
        ],
      });
    }
    return new FrontDoorWebAcl(this, 'FrontDoorWaf', {
      name: webAclNameOf(config.stackName),
      rateLimits: config.rateLimits,
    });
  }
}
/** `public-api` → `PublicApi`. */
function functionId(name: FunctionName): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
