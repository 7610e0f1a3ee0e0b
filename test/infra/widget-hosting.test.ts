/** Widget hosting: private encrypted bucket, CloudFront with OAC over HTTPS, cache split, optional deployment. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { WidgetHosting } from '../../infra/constructs/widget-hosting';
import { synthRapport } from './synth';

const dist = mkdtempSync(path.join(tmpdir(), 'rapport-widget-dist-'));
writeFileSync(path.join(dist, 'rapport.js'), '/*w*/');
writeFileSync(path.join(dist, 'rapport.0123456789ab.js'), '/*w*/');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

function template(distDir: string): Template {
  const stack = new Stack(new App(), 'W', { env: { account: '123456789012', region: 'eu-west-1' } });
  new WidgetHosting(stack, 'Widget', { distDir });
  return Template.fromStack(stack);
}

describe('WidgetHosting', () => {
  const withDist = template(dist);

  it('keeps the bucket private, encrypted and TLS-only', () => {
    withDist.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    withDist.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('serves through CloudFront with origin access control, redirecting HTTP to HTTPS', () => {
    withDist.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    withDist.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
    withDist.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ DefaultTTL: 300, MaxTTL: 31_536_000, MinTTL: 0 }),
    });
  });

  it('deploys hashed files with a one-year immutable cache and the rest with five minutes', () => {
    const deployments = withDist.findResources('Custom::CDKBucketDeployment');
    const props = Object.values(deployments).map((d) => (d as { Properties: Record<string, unknown> }).Properties);
    expect(props).toHaveLength(2);
    const hashed = props.find((p) => JSON.stringify(p.Include ?? '').includes('rapport.????????????.js'))!;
    expect(JSON.stringify(hashed.SystemMetadata)).toContain('max-age=31536000');
    expect(JSON.stringify(hashed.SystemMetadata)).toContain('immutable');
    const current = props.find((p) => p !== hashed)!;
    expect(JSON.stringify(current.SystemMetadata)).toContain('max-age=300');
    expect(current.Prune).toBe(false);
  });

  it('synthesises without widget/dist (offline, CDK tests): no deployment, same hosting', () => {
    const bare = template(path.join(dist, 'missing'));
    bare.resourceCountIs('Custom::CDKBucketDeployment', 0);
    bare.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });

  it('is part of the Rapport stack with a WidgetUrl output (no deployment while bundling is skipped)', () => {
    const s = synthRapport();
    expect(s.synthError).toBeUndefined();
    s.template.hasOutput('WidgetUrl', { Value: Match.anyValue() });
    s.template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    s.template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });

  it('keeps cdk-nag clean with the deployment (its handler acknowledged with reasons)', () => {
    const s = synthRapport(
      {},
      ({ stack }) => new WidgetHosting(stack, 'DeployedWidget', { distDir: dist, deploy: true }),
    );
    expect(s.synthError).toBeUndefined();
    s.template.resourceCountIs('Custom::CDKBucketDeployment', 2);
    const nag = s.report!.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
    expect(nag.violations.map((v) => v.ruleName)).toEqual([]);
    for (const v of nag.suppressedViolations ?? []) expect(v.reason.length).toBeGreaterThanOrEqual(60);
  });
});
