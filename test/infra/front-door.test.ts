/**
 * The front door: one CloudFront distribution with the API, the widget and the console behind it,
 * their caching, headers, the console's SPA fallback and the file deployments.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDoor } from '../../infra/constructs/front-door';
import { SPA_FALLBACK_SOURCE } from '../../infra/constructs/front-door/spa-fallback';
import { type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

/** Managed policies, by the ids CloudFront documents for them. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const dirs = mkdtempSync(path.join(tmpdir(), 'rapport-front-door-'));
const widgetDist = path.join(dirs, 'widget');
const consoleDist = path.join(dirs, 'console');
mkdirSync(widgetDist);
mkdirSync(path.join(consoleDist, 'assets'), { recursive: true });
writeFileSync(path.join(widgetDist, 'rapport.js'), '/*w*/');
writeFileSync(path.join(widgetDist, 'rapport.0123456789ab.js'), '/*w*/');
writeFileSync(path.join(consoleDist, 'index.html'), '<!doctype html>');
writeFileSync(path.join(consoleDist, 'assets', 'app.0123abcd.js'), '/*c*/');
afterAll(() => rmSync(dirs, { recursive: true, force: true }));

const signIn = {
  authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
  clientId: 'client-id',
  scope: 'openid email profile',
  logoutUrl: 'https://rapport-x.auth.eu-west-1.amazoncognito.com/logout',
};

/** A front door on its own, with built files, deployed. */
function standalone(deploy: boolean, distDirs = { widgetDistDir: widgetDist, consoleDistDir: consoleDist }) {
  const stack = new Stack(new App(), 'F', { env: { account: '123456789012', region: 'eu-west-1' } });
  const frontDoor = new FrontDoor(stack, 'FrontDoor', {
    api: new HttpApi(stack, 'Api'),
    webAclArn: undefined,
    cognito: { domainUrl: 'https://rapport-x.auth.eu-west-1.amazoncognito.com', idpUrl: 'https://cognito-idp.x' },
    signIn,
    deploy,
    ...distDirs,
  });
  return { stack, frontDoor, template: Template.fromStack(stack) };
}

type Behaviour = Record<string, CfnJson>;

describe('front door (in the Rapport stack)', () => {
  let s: Synthesised;
  let config: Record<string, CfnJson>;
  let behaviours: Record<string, Behaviour>;
  const resources = () => s.template.toJSON().Resources as Record<string, { Type: string; Properties: CfnJson }>;
  const headersPolicy = (b: Behaviour) =>
    resources()[b.ResponseHeadersPolicyId.Ref as string]!.Properties.ResponseHeadersPolicyConfig;

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    const distributions = resourcesOf(s.template, 'AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    config = distributions[0]![1].Properties.DistributionConfig;
    behaviours = Object.fromEntries(
      (config.CacheBehaviors as Behaviour[]).map((b) => [b.PathPattern as string, b]),
    ) as Record<string, Behaviour>;
  });

  it('has one distribution with exactly /v1/*, /widget/* and the console as default', () => {
    expect(Object.keys(behaviours).sort()).toEqual(['/v1/*', '/widget/*']);
    expect(config.DefaultRootObject).toBe('index.html');
    // A distribution-wide error page would turn the API's 403/404 problem+json into HTML.
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.HttpVersion).toBe('http2and3');
  });

  it('sends /v1/* to the HTTP API over HTTPS, uncached, with every viewer header but Host, all methods', () => {
    const api = behaviours['/v1/*']!;
    expect(api.CachePolicyId).toBe(CACHING_DISABLED);
    expect(api.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(api.AllowedMethods.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    // The API's own CORS and security headers pass through untouched.
    expect(api.ResponseHeadersPolicyId).toBeUndefined();
    expect(api.FunctionAssociations).toBeUndefined();
    const origin = (config.Origins as CfnJson[]).find((o) => o.Id === api.TargetOriginId);
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const apiId = resourcesOf(s.template, 'AWS::ApiGatewayV2::Api')[0]![0];
    expect(JSON.stringify(origin.DomainName)).toContain(`{"Ref":"${apiId}"}`);
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
  });

  it('serves the widget and the console from private buckets through origin access control', () => {
    const widget = behaviours['/widget/*']!;
    const consoleBehaviour = config.DefaultCacheBehavior as Behaviour;
    for (const b of [widget, consoleBehaviour]) {
      expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(b.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(b.Compress).toBe(true);
      const origin = (config.Origins as CfnJson[]).find((o) => o.Id === b.TargetOriginId);
      expect(origin.OriginAccessControlId).toBeDefined();
      expect(origin.S3OriginConfig).toBeDefined();
    }
    expect(resourcesOf(s.template, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(2);
    const buckets = resourcesOf(s.template, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const [, b] of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
        SSEAlgorithm: 'AES256',
      });
    }
    for (const [, policy] of resourcesOf(s.template, 'AWS::S3::BucketPolicy')) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      );
    }
    // Static files: the object's Cache-Control decides (5 min default, up to a year for hashed files).
    expect(widget.CachePolicyId).toEqual(consoleBehaviour.CachePolicyId);
    const cache = resources()[widget.CachePolicyId.Ref as string]!.Properties.CachePolicyConfig;
    expect(cache).toMatchObject({ DefaultTTL: 300, MaxTTL: 31_536_000, MinTTL: 0 });
  });

  it('lets any site load the widget (CORS *), and only GET/HEAD', () => {
    const headers = headersPolicy(behaviours['/widget/*']!);
    expect(headers.CorsConfig).toMatchObject({
      AccessControlAllowOrigins: { Items: ['*'] },
      AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
      AccessControlAllowCredentials: false,
    });
  });

  it('gives the console a strict CSP without unsafe-inline, HSTS, no framing, no referrer, few features', () => {
    const headers = headersPolicy(config.DefaultCacheBehavior as Behaviour);
    const security = headers.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
      "connect-src 'self' ",
      "form-action 'self' ",
    ]) {
      expect(csp, directive).toContain(directive);
    }
    // connect-src and form-action name the user pool's own Cognito domain; connect-src also cognito-idp.
    const domainId = resourcesOf(s.template, 'AWS::Cognito::UserPoolDomain')[0]![0];
    expect(csp).toContain(`{"Ref":"${domainId}"}`);
    expect(csp).toMatch(/https:\/\/cognito-idp\./);
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000, Override: true });
    expect(security.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    expect(security.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(security.ContentTypeOptions).toMatchObject({ Override: true });
    const custom = Object.fromEntries(
      (headers.CustomHeadersConfig.Items as { Header: string; Value: string }[]).map((h) => [h.Header, h.Value]),
    );
    expect(custom['Permissions-Policy']).toMatch(/camera=\(\).*microphone=\(\)/);
  });

  it('rewrites console routes to /index.html with a CloudFront Function on the console behaviour only', () => {
    const association = (config.DefaultCacheBehavior as Behaviour).FunctionAssociations;
    expect(association).toHaveLength(1);
    expect(association[0].EventType).toBe('viewer-request');
    const [fnId, fn] = resourcesOf(s.template, 'AWS::CloudFront::Function')[0]!;
    expect(association[0].FunctionARN).toEqual({ 'Fn::GetAtt': [fnId, 'FunctionARN'] });
    expect(fn.Properties.FunctionCode).toBe(SPA_FALLBACK_SOURCE);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');

    const handler = new Function(`${SPA_FALLBACK_SOURCE}; return handler;`)() as (e: { request: { uri: string } }) => {
      uri: string;
    };
    const uriFor = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriFor('/')).toBe('/index.html');
    expect(uriFor('/customers/01J8Z3')).toBe('/index.html');
    expect(uriFor('/surveys/01J8Z3/report')).toBe('/index.html');
    expect(uriFor('/assets/app.0123abcd.js')).toBe('/assets/app.0123abcd.js');
    expect(uriFor('/config.json')).toBe('/config.json');
    expect(uriFor('/favicon.ico')).toBe('/favicon.ico');
  });

  it('outputs the console, API and widget URLs on the front door', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: CfnJson }>;
    const [distributionId] = resourcesOf(s.template, 'AWS::CloudFront::Distribution')[0]!;
    const url = (suffix: string) => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, ...(suffix ? [suffix] : [])]],
    });
    expect(outputs.ConsoleUrl!.Value).toEqual(url(''));
    expect(outputs.ApiUrl!.Value).toEqual(url('/v1'));
    expect(outputs.WidgetUrl!.Value).toEqual(url('/widget/rapport.js'));
  });

  it('deploys nothing while bundling is skipped (offline synth, CDK tests)', () => {
    s.template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('front door deployments', () => {
  it('deploys the widget under /widget/: hashed files a year immutable, the rest five minutes', () => {
    const { template } = standalone(true);
    const deployments = resourcesOf(template, 'Custom::CDKBucketDeployment').map(([, d]) => d.Properties);
    expect(deployments).toHaveLength(4);
    const widget = deployments.filter((d) => d.DestinationBucketKeyPrefix === 'widget/');
    expect(widget).toHaveLength(2);
    const hashed = widget.find((p) => JSON.stringify(p.Include ?? '').includes('rapport.????????????.js'))!;
    // The survey UI the loader loads is hashed too, and so are the chunks it fetches only when needed.
    expect(hashed.Include).toEqual([
      'rapport.????????????.js',
      'rapport-ui.????????????.js',
      'rapport-triggers.????????????.js',
      'rapport-debug.????????????.js',
    ]);
    expect(JSON.stringify(hashed.SystemMetadata)).toContain('max-age=31536000');
    expect(JSON.stringify(hashed.SystemMetadata)).toContain('immutable');
    const current = widget.find((p) => p !== hashed)!;
    expect(JSON.stringify(current.SystemMetadata)).toContain('max-age=300');
    expect(current.DistributionPaths).toEqual([
      '/widget/rapport.js',
      '/widget/rapport-ui.js',
      '/widget/rapport.esm.js',
      '/widget/manifest.json',
    ]);
    for (const d of deployments) expect(d.Prune).toBe(false);
  });

  it('deploys the console: assets a year immutable, index.html and config.json no-cache', () => {
    const { template } = standalone(true);
    const console_ = resourcesOf(template, 'Custom::CDKBucketDeployment')
      .map(([, d]) => d.Properties)
      .filter((d) => d.DestinationBucketKeyPrefix === undefined);
    expect(console_).toHaveLength(2);
    const assets = console_.find((d) => JSON.stringify(d.Include ?? '').includes('assets/*'))!;
    expect(JSON.stringify(assets.SystemMetadata)).toContain('max-age=31536000');
    expect(JSON.stringify(assets.SystemMetadata)).toContain('immutable');
    const entry = console_.find((d) => d !== assets)!;
    expect(entry.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    expect(entry.Exclude).toEqual(['assets/*']);
    expect(entry.DistributionPaths).toEqual(['/index.html', '/config.json']);
    // config.json's ids and URLs are tokens CloudFormation fills in at deploy time.
    expect(entry.SourceObjectKeys).toHaveLength(2);
    expect(JSON.stringify(entry.SourceMarkers)).toContain('DomainName');
  });

  it('writes config.json in exactly the documented shape', () => {
    const { stack, frontDoor } = standalone(true);
    const redirect = {
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^FrontDoorDistribution/), 'DomainName'] }, '/'],
      ],
    };
    expect(stack.resolve(frontDoor.consoleConfig)).toEqual({
      oidc: {
        authority: signIn.authority,
        clientId: signIn.clientId,
        redirectUri: redirect,
        postLogoutRedirectUri: redirect,
        scope: 'openid email profile',
        logoutUrl: signIn.logoutUrl,
      },
      apiBase: '',
    });
  });

  it('skips a build that is not there: no console yet, widget only', () => {
    const { template, frontDoor } = standalone(true, {
      widgetDistDir: widgetDist,
      consoleDistDir: path.join(dirs, 'missing'),
    });
    expect(frontDoor.consoleDeployed).toBe(false);
    expect(frontDoor.widgetDeployed).toBe(true);
    template.resourceCountIs('Custom::CDKBucketDeployment', 2);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });

  it.each([
    ['region-agnostic', {}],
    ['in a region', { region: 'eu-west-1' }],
  ])(
    'keeps cdk-nag clean with the deployments in the Rapport stack, %s (handler acknowledged with reasons)',
    (_, context) => {
      const s = synthRapport(context, ({ stack }) => {
        new FrontDoor(stack, 'DeployedFrontDoor', {
          api: stack.httpApi.api,
          webAclArn: stack.webAcl?.arn,
          cognito: { domainUrl: stack.auth.domain.baseUrl(), idpUrl: 'https://cognito-idp.example' },
          signIn,
          widgetDistDir: widgetDist,
          consoleDistDir: consoleDist,
          deploy: true,
        });
      });
      expect(s.synthError).toBeUndefined();
      s.template.resourceCountIs('Custom::CDKBucketDeployment', 4);
      const nag = s.report!.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
      expect(nag.violations.map((v) => v.ruleName)).toEqual([]);
      for (const v of nag.suppressedViolations ?? []) expect(v.reason.length).toBeGreaterThanOrEqual(60);
      s.template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue() }),
      });
    },
    // A full synth with cdk-nag: slow on a busy machine.
    180_000,
  );
});
