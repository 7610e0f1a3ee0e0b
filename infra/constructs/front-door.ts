/**
 * THE front door: one CloudFront distribution for everything people and sites reach.
 *
 * | path        | origin                          | caching                                   | response headers          |
 * | ----------- | ------------------------------- | ----------------------------------------- | ------------------------- |
 * | `/v1/*`     | the HTTP API (HTTPS only)       | none (CachingDisabled)                    | the API's own (CORS too)  |
 * | `/widget/*` | widget bucket (OAC)             | the object's Cache-Control (5 min / 1 y)  | CORS `*`, nosniff, HSTS   |
 * | `/` (rest)  | console bucket (OAC)            | the object's Cache-Control (no-cache / 1 y) | strict CSP, HSTS, …     |
 *
 * `/v1/*` forwards every viewer header but Host (AllViewerExceptHostHeader): API Gateway routes on its
 * own Host name, and with caching disabled CloudFront forwards `Authorization` under this policy, so
 * the JWT authorizer sees the console's token. All methods; the query string and body pass through.
 * The console behaviour rewrites console routes to `/index.html` (spa-fallback.ts); nothing rewrites
 * the API's errors. The WebACL (when WAF is on) protects all three.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionEventType,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { consoleHeadersPolicy, widgetHeadersPolicy } from './front-door/response-headers';
import { spaFallbackFunction } from './front-door/spa-fallback';
import {
  acknowledgeDeploymentHandler,
  CONSOLE_DIST_DIR,
  type ConsoleConfig,
  deployConsole,
  deployWidget,
  privateFilesBucket,
  WIDGET_DIST_DIR,
  WIDGET_PREFIX,
} from './front-door/static-files';

export interface FrontDoorProps {
  /** The HTTP API behind `/v1/*` (its `$default` stage). */
  readonly api: IHttpApi;
  /** ARN of the WAF WebACL (scope CLOUDFRONT); undefined = no WAF (context `waf=false`). */
  readonly webAclArn: string | undefined;
  /** Sources the console's CSP allows besides itself. */
  readonly cognito: { readonly domainUrl: string; readonly idpUrl: string };
  /** The console's sign-in settings; its redirect URIs are this front door's URL. */
  readonly signIn: Omit<ConsoleConfig['oidc'], 'redirectUri' | 'postLogoutRedirectUri'>;
  /** Built widget / console; defaults widget/dist and console/dist. */
  readonly widgetDistDir?: string;
  readonly consoleDistDir?: string;
  /** Deploy the built files; default: when the stack is being bundled and they exist. */
  readonly deploy?: boolean;
}

export class FrontDoor extends Construct {
  readonly distribution: Distribution;
  readonly consoleBucket: Bucket;
  readonly widgetBucket: Bucket;
  readonly staticCachePolicy: CachePolicy;
  /** What `/config.json` holds (deployed with the console). */
  readonly consoleConfig: ConsoleConfig;
  readonly widgetDeployed: boolean;
  readonly consoleDeployed: boolean;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.consoleBucket = privateFilesBucket(this, 'ConsoleBucket', 'console');
    this.widgetBucket = privateFilesBucket(this, 'WidgetBucket', 'widget');

    this.staticCachePolicy = new CachePolicy(this, 'StaticCachePolicy', {
      comment: 'Rapport static files: honour the object Cache-Control (hashed files a year, entry files briefly)',
      defaultTtl: Duration.minutes(5),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    // execute-api host of the HTTP API (the stage is `$default`, so paths pass through unchanged).
    const apiDomain = `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Rapport front door (${stack.stackName}): console, widget and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.consoleBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: this.staticCachePolicy,
        responseHeadersPolicy: consoleHeadersPolicy(this, 'ConsoleHeaders', {
          cognitoDomainUrl: props.cognito.domainUrl,
          cognitoIdpUrl: props.cognito.idpUrl,
        }),
        functionAssociations: [
          { eventType: FunctionEventType.VIEWER_REQUEST, function: spaFallbackFunction(this, 'SpaFallback') },
        ],
        compress: true,
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new HttpOrigin(apiDomain, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          // A POST must not be redirected (browsers would turn it into a GET): HTTPS or nothing.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          compress: false,
        },
        [`/${WIDGET_PREFIX}/*`]: {
          origin: S3BucketOrigin.withOriginAccessControl(this.widgetBucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: this.staticCachePolicy,
          responseHeadersPolicy: widgetHeadersPolicy(this, 'WidgetHeaders'),
          compress: true,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-CFR4',
        reason:
          'The front door uses the default *.cloudfront.net certificate, whose minimum viewer TLS version CloudFront fixes; a custom domain with its own certificate and TLSv1.2_2021 is a deployment choice. Origins are reached over TLS 1.2 only.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR3',
        reason:
          'Every API request is logged by the API Gateway access log (one JSON line each) and WAF keeps sampled requests with client IPs; standard CloudFront logs would need an ACL-enabled bucket and would duplicate visitor IPs for static files.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR1',
        reason:
          'The survey widget and the public API are used by customer sites worldwide, so geo restriction would break surveys for legitimate respondents in other countries.',
      },
    );
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions::AwsSolutions-CFR2',
        reason:
          'WAF was switched off for this deployment with the waf=false context key (default on); API Gateway stage and per-route throttling still limit the API.',
      });
    }

    const redirectUri = `${this.url}/`;
    const { signIn } = props;
    this.consoleConfig = {
      oidc: {
        authority: signIn.authority,
        clientId: signIn.clientId,
        redirectUri,
        postLogoutRedirectUri: redirectUri,
        scope: signIn.scope,
        logoutUrl: signIn.logoutUrl,
      },
      apiBase: '',
    };
    const deployment = {
      distribution: this.distribution,
      ...(props.deploy !== undefined ? { deploy: props.deploy } : {}),
    };
    this.widgetDeployed = deployWidget(this, {
      ...deployment,
      bucket: this.widgetBucket,
      distDir: props.widgetDistDir ?? WIDGET_DIST_DIR,
    });
    this.consoleDeployed = deployConsole(this, {
      ...deployment,
      bucket: this.consoleBucket,
      distDir: props.consoleDistDir ?? CONSOLE_DIST_DIR,
      config: this.consoleConfig,
    });
    const deployed = [
      ...(this.consoleDeployed ? [this.consoleBucket] : []),
      ...(this.widgetDeployed ? [this.widgetBucket] : []),
    ];
    if (deployed.length > 0) acknowledgeDeploymentHandler(stack, deployed);
  }

  /** `https://<id>.cloudfront.net`, no trailing slash: the console's URL and the API's origin. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
