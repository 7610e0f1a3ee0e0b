import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/contracts/routes';
import { defaultConfig } from '../../infra/config';
import { NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

/**
 * The only routes anyone may call without a token (docs/design.md §7). Adding a public route that is not on this
 * list must fail here (and be argued for in docs/design.md first).
 */
const DESIGNED_PUBLIC_ROUTES = new Set([
  'GET /v1/health',
  'GET /v1/surveys/{id}/widget',
  'POST /v1/surveys/{id}/responses',
  // The response funnel: the widget records displays like it submits answers (same origin and size rules).
  'POST /v1/surveys/{id}/displays',
  // A digest's RFC 8058 one-click unsubscribe: the confirmation page and the signed POST.
  'GET /v1/unsubscribe',
  'POST /v1/unsubscribe',
]);

const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

describe('HTTP API', () => {
  let s: Synthesised;
  let templateRoutes: ReturnType<typeof resourcesOf>;
  const byKey = (key: string) => templateRoutes.find(([, r]) => r.Properties.RouteKey === key)?.[1];

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    templateRoutes = resourcesOf(s.template, 'AWS::ApiGatewayV2::Route');
  });

  it('creates exactly one API Gateway route per entry of the route table', () => {
    expect(templateRoutes).toHaveLength(routes.length);
    expect(new Set(templateRoutes.map(([, r]) => r.Properties.RouteKey))).toEqual(new Set(routes.map(routeKey)));
  });

  it('puts the Cognito JWT authorizer on every non-public route', () => {
    const [authorizerId, authorizer] = resourcesOf(s.template, 'AWS::ApiGatewayV2::Authorizer')[0]!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('cognito-idp');
    const nonPublic = routes.filter((r) => r.access !== 'public');
    expect(nonPublic.length).toBeGreaterThan(0);
    for (const route of nonPublic) {
      const resource = byKey(routeKey(route));
      expect(resource, routeKey(route)).toBeDefined();
      expect(resource!.Properties.AuthorizationType, routeKey(route)).toBe('JWT');
      expect(resource!.Properties.AuthorizerId, routeKey(route)).toEqual({ Ref: authorizerId });
    }
  });

  it('leaves exactly the public routes of the route table without authorization, all of them on the designed list', () => {
    const publicInTable = new Set(routes.filter((r) => r.access === 'public').map(routeKey));
    const unauthorised = new Set(
      templateRoutes
        .filter(([, r]) => r.Properties.AuthorizationType === undefined || r.Properties.AuthorizationType === 'NONE')
        .map(([, r]) => r.Properties.RouteKey as string),
    );
    expect(unauthorised).toEqual(publicInTable);
    // CORS preflights (OPTIONS) carry no data and cannot carry a token; everything else must be on the list.
    for (const key of unauthorised) {
      if (key.startsWith('OPTIONS ')) continue;
      expect(DESIGNED_PUBLIC_ROUTES.has(key), `${key} is not a designed public route`).toBe(true);
    }
    for (const [, r] of templateRoutes.filter(([, r]) => unauthorised.has(r.Properties.RouteKey))) {
      expect(r.Properties.AuthorizerId).toBeUndefined();
    }
  });

  it('integrates each route with the Lambda function the route table names', () => {
    const integrations = Object.fromEntries(resourcesOf(s.template, 'AWS::ApiGatewayV2::Integration'));
    const functions = Object.fromEntries(resourcesOf(s.template, 'AWS::Lambda::Function'));
    expect(Object.keys(integrations)).toHaveLength(2); // one integration per HTTP function
    for (const route of routes) {
      const target = byKey(routeKey(route))!.Properties.Target as { 'Fn::Join': [string, unknown[]] };
      const integrationId = (target['Fn::Join'][1][1] as { Ref: string }).Ref;
      const integration = integrations[integrationId]!;
      expect(integration.Properties.IntegrationType).toBe('AWS_PROXY');
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
      const functionId = integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
      expect(functions[functionId]!.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe(
        `rapport-${route.function}`,
      );
    }
  });

  it('throttles the $default stage with the configured limits and public routes more strictly', () => {
    const stages = resourcesOf(s.template, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1];
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.AutoDeploy).toBe(true);
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: defaultConfig.throttleRateLimit,
      ThrottlingBurstLimit: defaultConfig.throttleBurstLimit,
    });
    const publicKeys = routes.filter((r) => r.access === 'public').map(routeKey);
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(publicKeys.sort());
    for (const key of publicKeys) {
      expect(stage.Properties.RouteSettings[key]).toEqual({
        ThrottlingRateLimit: defaultConfig.publicRouteRateLimit,
        ThrottlingBurstLimit: defaultConfig.publicRouteBurstLimit,
      });
    }
  });

  it('writes JSON access logs with the fields ops need to a log group with retention', () => {
    const stage = resourcesOf(s.template, 'AWS::ApiGatewayV2::Stage')[0]![1];
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
    });
    const logGroupId = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    const logGroup = s.template.toJSON().Resources[logGroupId];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(defaultConfig.logRetentionDays);
  });

  it('has no API-level CORS: API Gateway would override the per-survey grants the functions make', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });

  it('outputs the console, API and widget URLs, the sign-in domain, user pool, client and table', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ConsoleUrl',
        'ApiUrl',
        'WidgetUrl',
        'SignInUrl',
        'UserPoolId',
        'UserPoolClientId',
        'TableName',
      ]),
    );
  });
});
