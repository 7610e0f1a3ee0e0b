/**
 * The front door's static files: a private, encrypted, TLS-only bucket each for the console and the
 * widget (CloudFront reads them through origin access control), and their deployments. The object's
 * Cache-Control decides how long CloudFront and browsers keep a file, so it is set per file here:
 *
 * - widget: the content-hashed files (`rapport.<hash>.js`, `rapport-ui.<hash>.js`, and the chunks the
 *   loader fetches only when needed, `rapport-triggers.<hash>.js` and `rapport-debug.<hash>.js`) a
 *   year, immutable (their names change with their bytes); `rapport.js`, `rapport-ui.js`,
 *   `rapport.esm.js`, `manifest.json` five minutes, so pages embedding `rapport.js` update quickly.
 *   Served under `/widget/`, so the objects live under `widget/` in their bucket.
 * - console: `assets/*` (hashed names) a year, immutable; `index.html`, `config.json` and any other
 *   top-level file `no-cache` (always revalidated), so a deploy takes effect at once.
 *
 * Files are deployed only when they exist at synth time (`npm run build:widget`, the console build)
 * and the stack is being bundled; synth works without them (offline, CDK tests), leaving the buckets
 * empty. Deployments never prune: browsers still holding an older index.html find its assets.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct, IConstruct } from 'constructs';
import { hashedGlobs } from '../../../widget/chunks';
import { repoRoot } from '../../paths';

export const WIDGET_DIST_DIR = path.join(repoRoot, 'widget', 'dist');
export const CONSOLE_DIST_DIR = path.join(repoRoot, 'console', 'dist');
/** The path prefix of the widget on the front door (and of its objects in the widget bucket). */
export const WIDGET_PREFIX = 'widget';

const aYearImmutable = [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()];

/** A bucket only CloudFront reads (origin access control) and only a deployment writes. */
export function privateFilesBucket(scope: Construct, id: string, what: string): Bucket {
  const bucket = new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    // Only build output lives here: it is redeployed from the repository at any time.
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: false,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions::AwsSolutions-S1',
    reason: `The ${what} bucket is private, read only by CloudFront through origin access control and written only by the deployment; requests are visible in CloudFront metrics, S3 access logs would add nothing.`,
  });
  return bucket;
}

export interface DeployOptions {
  readonly bucket: Bucket;
  readonly distribution: IDistribution;
  readonly distDir: string;
  /** Default: when the stack is being bundled (not in CDK tests, which skip bundling). */
  readonly deploy?: boolean;
}

function shouldDeploy(scope: Construct, options: DeployOptions, marker: string): boolean {
  return (options.deploy ?? Stack.of(scope).bundlingRequired) && existsSync(path.join(options.distDir, marker));
}

/** Deploys widget/dist under `widget/`; returns whether it did. */
export function deployWidget(scope: Construct, options: DeployOptions): boolean {
  if (!shouldDeploy(scope, options, 'rapport.js')) return false;
  const sources = [Source.asset(options.distDir)];
  const common = {
    sources,
    destinationBucket: options.bucket,
    destinationKeyPrefix: `${WIDGET_PREFIX}/`,
    prune: false,
    distribution: options.distribution,
  };
  new BucketDeployment(scope, 'WidgetHashed', {
    ...common,
    include: hashedGlobs,
    exclude: ['*'],
    cacheControl: aYearImmutable,
    distributionPaths: [`/${WIDGET_PREFIX}/rapport.js`],
  });
  new BucketDeployment(scope, 'WidgetCurrent', {
    ...common,
    exclude: hashedGlobs,
    cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5))],
    distributionPaths: ['rapport.js', 'rapport-ui.js', 'rapport.esm.js', 'manifest.json'].map(
      (f) => `/${WIDGET_PREFIX}/${f}`,
    ),
  });
  return true;
}

/**
 * What the console reads at start to sign in (`/config.json`). THE shape: documented in
 * docs/architecture.md; CloudFormation fills in the ids and URLs at deploy time.
 */
export interface ConsoleConfig {
  readonly oidc: {
    /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>` (OIDC issuer and discovery). */
    readonly authority: string;
    readonly clientId: string;
    readonly redirectUri: string;
    readonly postLogoutRedirectUri: string;
    readonly scope: string;
    /** Cognito's logout endpoint: `https://<domain>.auth.<region>.amazoncognito.com/logout`. */
    readonly logoutUrl: string;
  };
  /** Base of API calls; '' = the console's own origin (the front door serves both). */
  readonly apiBase: string;
}

/** Deploys console/dist and the generated config.json at the root; returns whether it did. */
export function deployConsole(scope: Construct, options: DeployOptions & { readonly config: ConsoleConfig }): boolean {
  if (!shouldDeploy(scope, options, 'index.html')) return false;
  const files = Source.asset(options.distDir);
  const common = { destinationBucket: options.bucket, prune: false, distribution: options.distribution };
  new BucketDeployment(scope, 'ConsoleAssets', {
    ...common,
    sources: [files],
    include: ['assets/*'],
    exclude: ['*'],
    cacheControl: aYearImmutable,
    distributionPaths: ['/index.html'],
  });
  new BucketDeployment(scope, 'ConsoleEntry', {
    ...common,
    sources: [files, Source.jsonData('config.json', options.config)],
    exclude: ['assets/*'],
    cacheControl: [CacheControl.noCache()],
    distributionPaths: ['/index.html', '/config.json'],
  });
  return true;
}

/**
 * The CDK BucketDeployment handler (one per stack) is aws-cdk-lib's own custom resource: its findings
 * are acknowledged once, naming the buckets it writes.
 */
export function acknowledgeDeploymentHandler(stack: Stack, buckets: readonly Bucket[]): void {
  const handler = stack.node.children.find((c: IConstruct) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  const role = handler?.node.tryFindChild('ServiceRole');
  if (!handler || !role) return;
  const why = 'The aws-cdk-lib BucketDeployment handler that copies the built console and widget into their buckets';
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions::AwsSolutions-L1',
    reason: `${why}: its Lambda runtime is pinned by the aws-cdk-lib version and is updated with it, not chosen here.`,
  });
  Validations.of(role).acknowledge(
    {
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${why} uses AWSLambdaBasicExecutionRole only to write its own CloudWatch logs.`,
    },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
      reason: `${why} needs ${action}, granted by CDK on the CDK asset bucket and the console and widget buckets only.`,
    })),
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${assetBucketObjects(stack)}]`,
      reason: `${why} reads the staged files from the CDK bootstrap asset bucket (objects only).`,
    },
    ...buckets.map((bucket) => ({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
      reason: `${why} writes and replaces the files of ${bucket.node.path}, so it needs every object of that one bucket.`,
    })),
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: `${why} invalidates the updated entry files on the front door; CloudFront invalidation actions do not support resource-level scoping here.`,
    },
  );
}

/**
 * The CDK bootstrap asset bucket's objects as cdk-nag names them: unresolved parts as `<AWS::…>`, a
 * region (and the partition it implies) literally once the stack has one.
 */
function assetBucketObjects(stack: Stack): string {
  const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  const bucket = `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${part(stack.account, 'AccountId')}-${part(stack.region, 'Region')}`;
  return `arn:${part(stack.partition, 'Partition')}:s3:::${bucket}/*`;
}
