/**
 * Hosting of the survey widget: a private, encrypted S3 bucket behind CloudFront with
 * origin access control, HTTPS only. `rapport.<hash>.js` is cached for a year (its name changes
 * with its bytes); `rapport.js`, `rapport.esm.js` and `manifest.json` for five minutes, so a page
 * embedding `rapport.js` picks up a new widget quickly. The object's Cache-Control decides (set by
 * the two deployments below) and CloudFront honours it.
 *
 * widget/dist is deployed only when it exists at synth time (`npm run build:widget`) and the stack
 * is being bundled; synth works without it (offline, CDK tests), leaving an empty bucket.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { repoRoot } from '../paths';

export const WIDGET_DIST_DIR = path.join(repoRoot, 'widget', 'dist');
const HASHED = 'rapport.????????????.js';

export interface WidgetHostingProps {
  /** The built widget; default widget/dist. Deployed only if it holds rapport.js. */
  readonly distDir?: string;
  /**
   * Deploy the files; default: when this stack is being bundled (not in CDK tests, which skip
   * bundling and count the stack's functions) and the files exist.
   */
  readonly deploy?: boolean;
}

export class WidgetHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly deployed: boolean;

  constructor(scope: Construct, id: string, props: WidgetHostingProps = {}) {
    super(scope, id);
    const distDir = props.distDir ?? WIDGET_DIST_DIR;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only build output lives here: it is redeployed from the repository at any time.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: 'Rapport widget: honour the object Cache-Control (1 year hashed, 5 min rapport.js)',
      defaultTtl: Duration.minutes(5),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Rapport widget: any site may load the script; no sniffing; HSTS',
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Rapport survey widget',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    const distribution = this.distribution;
    Validations.of(distribution).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-CFR4',
        reason:
          'The widget distribution uses the default *.cloudfront.net certificate, whose minimum TLS policy CloudFront fixes; a custom domain with its own certificate and TLSv1.2_2021 is a deployment choice.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR3',
        reason:
          'The widget distribution serves only a public, static script; access logs would need an ACL-enabled log bucket and hold visitor IPs for no operational use (errors show in CloudFront metrics).',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR1',
        reason:
          'The survey widget is embedded by customer sites worldwide, so geo restriction would break surveys for legitimate visitors in other countries.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR2',
        reason:
          'The distribution serves one static, public, cacheable script with GET/HEAD only; WAF on it would cost more than the abuse it could stop (the API has its own throttling).',
      },
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'The widget bucket is private, read only by CloudFront through origin access control, and written only by the deployment; S3 access logs would record nothing of interest.',
    });

    this.deployed = (props.deploy ?? Stack.of(this).bundlingRequired) && existsSync(path.join(distDir, 'rapport.js'));
    if (this.deployed) {
      const source = [Source.asset(distDir)];
      new BucketDeployment(this, 'Hashed', {
        sources: source,
        destinationBucket: this.bucket,
        include: [HASHED],
        exclude: ['*'],
        prune: false,
        cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
        distribution,
        distributionPaths: ['/rapport.js'],
      });
      new BucketDeployment(this, 'Current', {
        sources: source,
        destinationBucket: this.bucket,
        exclude: [HASHED],
        prune: false,
        cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5))],
        distribution,
        distributionPaths: ['/rapport.js', '/rapport.esm.js', '/manifest.json'],
      });
      acknowledgeDeploymentHandler(
        Stack.of(this),
        Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket),
      );
    }
  }

  /** `https://<id>.cloudfront.net`: embed `${url}/rapport.js`. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}

/** The CDK BucketDeployment handler (one per stack) is aws-cdk-lib's own custom resource. */
function acknowledgeDeploymentHandler(stack: Stack, bucketLogicalId: string) {
  const handler = stack.node.children.find((c: IConstruct) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  const role = handler?.node.tryFindChild('ServiceRole');
  if (!handler || !role || handler.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    return;
  const why = 'The aws-cdk-lib BucketDeployment handler that copies widget/dist into the widget bucket';
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
      reason: `${why} needs ${action}, granted by CDK on the CDK asset bucket and the widget bucket only.`,
    })),
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      reason: `${why} reads the staged widget files from the CDK bootstrap asset bucket (objects only).`,
    },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
      reason: `${why} writes and replaces the widget objects, so it needs every object of that one bucket.`,
    },
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: `${why} invalidates rapport.js on the widget distribution; CloudFront invalidation actions do not support resource-level scoping here.`,
    },
  );
}
