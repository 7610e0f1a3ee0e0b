/**
 * The AWS WAF WebACL of the front door (scope CLOUDFRONT, so it must be created in us-east-1). Rules,
 * in the order WAF evaluates them:
 *
 * 1. `rate-survey-responses`: POST /v1/surveys/{id}/responses per client IP *and* survey path. A person
 *    answers a survey once (the widget retries a few times at most), a script floods it; over the limit
 *    WAF answers 429 with a problem+json body and Retry-After.
 * 2. `rate-survey-displays`: POST /v1/surveys/{id}/displays per client IP and survey path, likewise.
 *    The widget records a display per page view where a card shows (and a drop-off if it is closed
 *    unfinished), so its limit is looser than the answers' and tighter than the API's.
 * 3. `rate-api-per-ip`: every /v1/* request per client IP, a looser ceiling against one source flooding
 *    the whole API (also 429).
 * 4. `aws-common-rule-set` (AWSManagedRulesCommonRuleSet), with the sub-rules that would refuse
 *    legitimate Rapport traffic set to Count (still counted and sampled, not blocked): see
 *    `commonRuleSetCounts`.
 * 5. `aws-known-bad-inputs` (AWSManagedRulesKnownBadInputsRuleSet): Log4j, Java deserialisation,
 *    localhost Host headers, exploitable paths. Nothing legitimate in Rapport looks like these.
 *
 * The rate rules' limits, windows and paths come from functions/contracts/edge-limits.ts (through the
 * config, which lets the context tune the limits), as do the local gateway's. Every rule publishes CloudWatch metrics (`metricNames`) and sampled requests.
 */
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { displaysPerClient, pathRegex, submissionsPerClient } from '../../../functions/contracts/edge-limits';
import { PROBLEM_BASE } from '../../../functions/http/problem';
import type { RapportConfig, RateLimit } from '../../config';

export interface FrontDoorWebAclProps {
  /** WebACL name, also its metric name, so the `WebACL` dimension of AWS/WAFV2 is this either way. */
  readonly name: string;
  readonly rateLimits: RapportConfig['rateLimits'];
}

/** The submission route, as WAF matches it (after URL-decoding the path): the edge limit's own pattern. */
export const SUBMISSION_PATH_REGEX = pathRegex(submissionsPerClient);
/** The displays route (the widget's `shown` and `dismissed`), likewise. */
export const DISPLAY_PATH_REGEX = pathRegex(displaysPerClient);

/**
 * AWSManagedRulesCommonRuleSet sub-rules Rapport sets to Count, each with the legitimate traffic it
 * would block. The application's own checks cover what they would have caught (body caps → 413,
 * strict schemas → 400, text stored verbatim and always rendered as text).
 */
export const commonRuleSetCounts: Readonly<Record<string, string>> = {
  SizeRestrictions_BODY:
    'blocks bodies over 8 KB: the CSV/JSON import takes up to 2 MB and survey definitions up to 64 KB; each route’s own body cap answers 413',
  CrossSiteScripting_BODY:
    'blocks HTML-looking text: survey wording and free-text answers may contain it (stored verbatim, always shown as text, never run)',
  GenericLFI_BODY:
    'blocks "../"-like text in bodies: free-text answers and imported notes may contain it; Rapport never touches files',
  GenericRFI_BODY:
    'blocks URLs with IP addresses in bodies: a response’s `page` and a survey’s allowed origins may be intranet addresses; Rapport never fetches them',
};

/** Metric names of the rules (the `Rule` dimension of AWS/WAFV2); the WebACL's own is its name. */
export const webAclMetricNames = {
  surveyResponses: 'RapportRateSurveyResponses',
  surveyDisplays: 'RapportRateSurveyDisplays',
  api: 'RapportRateApiPerIp',
  commonRuleSet: 'RapportAwsCommonRuleSet',
  knownBadInputs: 'RapportAwsKnownBadInputs',
} as const;

/** Key of the 429 body in the WebACL's custom response bodies. */
const RATE_LIMITED_BODY = 'rate-limited';

export class FrontDoorWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  readonly name: string;

  constructor(scope: Construct, id: string, props: FrontDoorWebAclProps) {
    super(scope, id);
    this.name = props.name;
    const { surveyResponses, surveyDisplays, api } = props.rateLimits;
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const decoded = [{ priority: 0, type: 'URL_DECODE' }];
    const tooManyRequests = (limit: RateLimit): CfnWebACL.RuleActionProperty => ({
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: RATE_LIMITED_BODY,
          responseHeaders: [
            { name: 'retry-after', value: String(limit.windowSeconds) },
            // The widget runs on other sites: let it read the refusal and its Retry-After (nothing private here).
            { name: 'access-control-allow-origin', value: '*' },
            { name: 'access-control-expose-headers', value: 'retry-after' },
          ],
        },
      },
    });

    /** POST on one route, counted per client IP *and* path: one survey's flood, not the others'. */
    const perClientAndSurvey = (
      name: string,
      priority: number,
      limit: RateLimit,
      regexString: string,
      metricName: string,
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: tooManyRequests(limit),
      statement: {
        rateBasedStatement: {
          limit: limit.limit,
          evaluationWindowSec: limit.windowSeconds,
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [
            { ip: {} },
            // Decoded and lower-cased, so spelling one survey's path differently counts as the same path.
            {
              uriPath: {
                textTransformations: [
                  { priority: 0, type: 'URL_DECODE' },
                  { priority: 1, type: 'LOWERCASE' },
                ],
              },
            },
          ],
          scopeDownStatement: {
            andStatement: {
              statements: [
                {
                  byteMatchStatement: {
                    fieldToMatch: { method: {} },
                    positionalConstraint: 'EXACTLY',
                    searchString: 'POST',
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
                { regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString, textTransformations: decoded } },
              ],
            },
          },
        },
      },
      visibilityConfig: visibility(metricName),
    });

    const rules: CfnWebACL.RuleProperty[] = [
      perClientAndSurvey(
        'rate-survey-responses',
        0,
        surveyResponses,
        SUBMISSION_PATH_REGEX,
        webAclMetricNames.surveyResponses,
      ),
      perClientAndSurvey(
        'rate-survey-displays',
        1,
        surveyDisplays,
        DISPLAY_PATH_REGEX,
        webAclMetricNames.surveyDisplays,
      ),
      {
        name: 'rate-api-per-ip',
        priority: 2,
        action: tooManyRequests(api),
        statement: {
          rateBasedStatement: {
            limit: api.limit,
            evaluationWindowSec: api.windowSeconds,
            aggregateKeyType: 'IP',
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: '/v1/',
                textTransformations: decoded,
              },
            },
          },
        },
        visibilityConfig: visibility(webAclMetricNames.api),
      },
      {
        name: 'aws-common-rule-set',
        priority: 3,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: 'AWSManagedRulesCommonRuleSet',
            ruleActionOverrides: Object.keys(commonRuleSetCounts).map((name) => ({
              name,
              actionToUse: { count: {} },
            })),
          },
        },
        visibilityConfig: visibility(webAclMetricNames.commonRuleSet),
      },
      {
        name: 'aws-known-bad-inputs',
        priority: 4,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
        },
        visibilityConfig: visibility(webAclMetricNames.knownBadInputs),
      },
    ];

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: 'Rapport front door: per-survey and per-IP rate limits, AWS common rules, known bad inputs',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rules,
      customResponseBodies: {
        [RATE_LIMITED_BODY]: {
          // WAF offers no application/problem+json; the body is an RFC 9457 problem all the same.
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: `${PROBLEM_BASE}rate-limited`,
            title: 'Too many requests',
            status: 429,
            detail:
              'Too many requests from your network in a short time. Wait for Retry-After seconds, then try again.',
          }),
        },
      },
      visibilityConfig: visibility(props.name),
    });
  }

  get arn(): string {
    return this.webAcl.attrArn;
  }
}
