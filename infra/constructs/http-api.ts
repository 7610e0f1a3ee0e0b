import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type HttpFunctionName, httpFunctionNames, routes } from '../../functions/contracts/routes';

export interface HttpApiProps {
  readonly functions: Readonly<Record<HttpFunctionName, IFunction>>;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly publicRouteThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: number;
}

/** One JSON line per request in the access log; no bodies, no tokens. */
const accessLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  userAgent: '$context.identity.userAgent',
};

/**
 * The HTTP API: one route per entry of THE route table (functions/contracts/routes.ts), a Cognito JWT authorizer
 * on every non-public route, one Lambda integration per function, a throttled `$default` stage
 * (stricter per-route limits on public routes) with JSON access logs. No API-level CORS: the console
 * reaches the API on its own origin through the front door, and the public function grants CORS per
 * survey (API Gateway's CORS would override it).
 */
export class RapportHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  readonly routes: Record<string, HttpRoute> = {};

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      description: 'Rapport public (survey widget) and admin API',
      createDefaultStage: false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as RetentionDays,
    });

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: props.throttle,
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('AdminJwtAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });

    const integrations = Object.fromEntries(
      httpFunctionNames.map((name) => [name, new HttpLambdaIntegration(`${name}-integration`, props.functions[name])]),
    ) as Record<HttpFunctionName, HttpLambdaIntegration>;

    // CfnStage.routeSettings is raw JSON (typed `any`), so it takes CloudFormation's PascalCase names.
    const publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of routes) {
      const isPublic = route.access === 'public';
      const httpRoute = new HttpRoute(this, `Route-${route.operationId}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.function],
        ...(isPublic ? {} : { authorizer }),
      });
      this.routes[route.operationId] = httpRoute;
      // Route settings name route keys, which must exist before the stage that throttles them.
      this.stage.node.addDependency(httpRoute);
      if (isPublic) {
        publicRouteSettings[`${route.method} ${route.path}`] = {
          ThrottlingRateLimit: props.publicRouteThrottle.rateLimit,
          ThrottlingBurstLimit: props.publicRouteThrottle.burstLimit,
        };
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (access: 'public' in functions/contracts/routes.ts): anonymous survey respondents and health probes call it; it is throttled per route and validated by strict schemas.`,
        });
      }
    }

    // Per-route throttling on the public routes: no L2 property for it, so set it on the L1 stage.
    if (Object.keys(publicRouteSettings).length > 0) {
      (this.stage.node.defaultChild as CfnStage).routeSettings = publicRouteSettings;
    }
  }

  /** The invoke URL of the `$default` stage (ends with `/`). */
  get url(): string {
    return this.stage.url;
  }
}
