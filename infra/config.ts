/**
 * THE deployment configuration of the CDK app: one object, with defaults, every key overridable from
 * CDK context (`cdk synth -c phoneRegion=US -c throttleRateLimit=50`, or the
 * `context` block of cdk.json). Values given on the command line arrive as strings and are parsed and
 * validated here, so a typo fails the synth instead of deploying something surprising.
 *
 * Keys (context name = property name):
 * - `stackName`             CloudFormation stack name. Default `Rapport`.
 * - `nag`                   Run the cdk-nag AwsSolutions checks on synth (`false` to skip). Default `true`.
 * - `phoneRegion`           Default phone region (ISO 3166 alpha-2) used to normalise national phone
 *                           numbers to E.164; passed to the functions as PHONE_REGION. Default `CN`.
 * - `logLevel`              Powertools LOG_LEVEL of every function (DEBUG|INFO|WARN|ERROR). Default `INFO`.
 * - `auditRetentionDays`    How long audit-log entries are kept, days (1–3650). Default 365.
 * - `logRetentionDays`      Retention of every Lambda log group and of the API access-log group; must be
 *                           a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, …). Default 90.
 * - `throttleRateLimit`     Default-stage steady-state limit, requests/second, all routes. Default 100.
 * - `throttleBurstLimit`    Default-stage burst limit (token bucket size). Default 200.
 * - `publicRouteRateLimit`  Per-route rate limit on each public (unauthenticated) route. Default 50.
 * - `publicRouteBurstLimit` Per-route burst limit on each public route. Default 100.
 * - `adminMfa`              Cognito MFA for admin/analyst users: `REQUIRED` or `OPTIONAL` (TOTP only).
 *                           Default `REQUIRED`.
 * - `cognitoFeaturePlan`    Cognito user-pool feature plan: `PLUS` (threat protection enforced: compromised
 *                           credentials and adaptive authentication) or `ESSENTIALS`. Default `PLUS`.
 * - `publicApiMemoryMb`, `publicApiTimeoutSeconds`    public-api Lambda. Default 512 MB, 10 s.
 * - `adminApiMemoryMb`,  `adminApiTimeoutSeconds`     admin-api Lambda (imports, exports). Default 1024 MB, 29 s.
 * - `aggregatorMemoryMb`, `aggregatorTimeoutSeconds`  stream aggregator Lambda. Default 512 MB, 60 s.
 * - `webhookFanoutMemoryMb`, `webhookFanoutTimeoutSeconds`  webhook fan-out (stream) Lambda. Default 256 MB, 60 s.
 * - `webhookSenderMemoryMb`, `webhookSenderTimeoutSeconds`  webhook sender (queue) Lambda. Default 256 MB, 30 s.
 * - `notifierMemoryMb`, `notifierTimeoutSeconds`      alert/digest job Lambda. Default 512 MB, 300 s.
 * - `mailFrom`              SES identity (an address, `Name <address>`, of a verified domain or address)
 *                           alert and digest e-mails are sent from. Default: none — the job then still
 *                           evaluates alerts (events, webhooks, metrics) but sends no e-mail and logs a
 *                           warning per run, and the function gets no SES permission.
 * - `notifierScheduleMinutes` How often the alert/digest job runs (EventBridge Scheduler, minutes, 5–60).
 *                           Default 60: digests go out in the hour they are due; alerts are evaluated
 *                           once per window (docs/alerts.md).
 * - `alarmEmail`            E-mail address subscribed to the ops alarm topic (consumed by the
 *                           observability construct). Default: none.
 * - `acknowledgeNoAlarmEmail` `true` lets the synth go on without `alarmEmail` (the ops topic then has no
 *                           subscriber: subscribe by hand, docs/operations.md). Default `false`: without
 *                           `alarmEmail` the synth fails.
 * - `region`                Region of the stack (falls back to CDK_DEFAULT_REGION, which the CDK CLI sets
 *                           from your AWS profile). Unset: the stack stays region-agnostic and the WAF
 *                           WebACL sits in it, so it deploys only to us-east-1 (a template rule says so).
 *                           Set to another region: the WebACL goes to a small `<stackName>-edge` stack in
 *                           us-east-1 (WAF for CloudFront lives there) and the main stack reads its ARN.
 * - `waf`                   AWS WAF on the CloudFront front door. Default `true`; `false` = no WebACL.
 * - `wafResponseRateLimit`, `wafResponseRateWindowSeconds`  submissions (POST /v1/surveys/{id}/responses)
 *                           per client IP and survey per window before WAF answers 429. Default 10 per 60 s:
 *                           a person sends one answer (a few retries at most), a script sends hundreds.
 * - `wafApiRateLimit`, `wafApiRateWindowSeconds`  any /v1/* request per client IP per window. Default
 *                           600 per 60 s (10/s): far above a busy console user, stops a single-source flood.
 *                           Windows are 60, 120, 300 or 600 s; limits at least 10 (AWS WAF's minimum).
 * - `consoleDomainPrefix`   Prefix of the Cognito managed-login domain
 *                           (`https://<prefix>.auth.<region>.amazoncognito.com`). Default
 *                           `rapport-<first 8 hex digits of the stack id>`: unique per stack, valid.
 * - alarm thresholds and SLOs (`alarms`): see infra/alarm-config.ts (`alarmContextKeys`), e.g.
 *                           `-c availabilitySloPercent=99.5 -c csatThresholdPercent=75`.
 */
import type { Construct } from 'constructs';
import { apiPerClient, submissionsPerClient } from '../functions/contracts/edge-limits';
import { functionTimeoutSeconds } from '../functions/contracts/function-limits';
import { type AlarmConfig, defaultAlarmConfig, resolveAlarmConfig } from './alarm-config';

export type MfaMode = 'OPTIONAL' | 'REQUIRED';
export type CognitoFeaturePlan = 'PLUS' | 'ESSENTIALS';
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface FunctionSizing {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/** A WAF rate-based rule: at most `limit` requests per aggregation key per `windowSeconds`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RapportConfig {
  readonly stackName: string;
  readonly nag: boolean;
  readonly phoneRegion: string;
  readonly logLevel: LogLevel;
  readonly logRetentionDays: number;
  /** How long audit-log entries are kept (days). */
  readonly auditRetentionDays: number;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly publicRouteRateLimit: number;
  readonly publicRouteBurstLimit: number;
  readonly adminMfa: MfaMode;
  readonly cognitoFeaturePlan: CognitoFeaturePlan;
  readonly functions: {
    readonly 'public-api': FunctionSizing;
    readonly 'admin-api': FunctionSizing;
    readonly aggregator: FunctionSizing;
    readonly 'webhook-fanout': FunctionSizing;
    readonly 'webhook-sender': FunctionSizing;
    readonly notifier: FunctionSizing;
  };
  /** SES sender of alert and digest e-mails; undefined = e-mails are not sent (a warning is logged). */
  readonly mailFrom: string | undefined;
  readonly notifierScheduleMinutes: number;
  readonly alarmEmail: string | undefined;
  readonly acknowledgeNoAlarmEmail: boolean;
  /** Explicit region of the stack; undefined = region-agnostic. */
  readonly region: string | undefined;
  readonly waf: boolean;
  readonly rateLimits: { readonly surveyResponses: RateLimit; readonly api: RateLimit };
  /** Cognito domain prefix; undefined = derived from the stack id at deploy time. */
  readonly consoleDomainPrefix: string | undefined;
  /** Alarm thresholds and SLOs (infra/alarm-config.ts). */
  readonly alarms: AlarmConfig;
}

export const defaultConfig: RapportConfig = {
  stackName: 'Rapport',
  nag: true,
  phoneRegion: 'CN',
  logLevel: 'INFO',
  logRetentionDays: 90,
  auditRetentionDays: 365,
  throttleRateLimit: 100,
  throttleBurstLimit: 200,
  publicRouteRateLimit: 50,
  publicRouteBurstLimit: 100,
  adminMfa: 'REQUIRED',
  cognitoFeaturePlan: 'PLUS',
  // Timeouts (and the request deadlines inside them) come from functions/contracts/function-limits.ts.
  functions: {
    'public-api': { memoryMb: 512, timeoutSeconds: functionTimeoutSeconds['public-api'] },
    'admin-api': { memoryMb: 1024, timeoutSeconds: functionTimeoutSeconds['admin-api'] },
    aggregator: { memoryMb: 512, timeoutSeconds: functionTimeoutSeconds.aggregator },
    'webhook-fanout': { memoryMb: 256, timeoutSeconds: functionTimeoutSeconds['webhook-fanout'] },
    'webhook-sender': { memoryMb: 256, timeoutSeconds: functionTimeoutSeconds['webhook-sender'] },
    notifier: { memoryMb: 512, timeoutSeconds: functionTimeoutSeconds.notifier },
  },
  mailFrom: undefined,
  notifierScheduleMinutes: 60,
  alarmEmail: undefined,
  acknowledgeNoAlarmEmail: false,
  region: undefined,
  waf: true,
  // The same rules the local gateway applies (functions/contracts/edge-limits.ts).
  rateLimits: {
    surveyResponses: { limit: submissionsPerClient.limit, windowSeconds: submissionsPerClient.windowSeconds },
    api: { limit: apiPerClient.limit, windowSeconds: apiPerClient.windowSeconds },
  },
  consoleDomainPrefix: undefined,
  alarms: defaultAlarmConfig,
};

/** Evaluation windows AWS WAF rate-based rules accept. */
const RATE_WINDOWS = [60, 120, 300, 600] as const;
/** AWS WAF rate-based rules: a limit of at least 10 and at most 2 billion. */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;
/** Cognito domain prefixes: lowercase letters, digits, inner hyphens; these words are reserved. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_DOMAIN = /aws|amazon|cognito/;

/** Retention periods CloudWatch Logs accepts (aws-logs RetentionDays, without INFINITE). */
const VALID_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

type ContextReader = (key: string) => unknown;

/**
 * Reads the configuration from a construct's context (usually the App), falling back to defaults;
 * `region` falls back to CDK_DEFAULT_REGION of the environment.
 */
export function loadConfig(scope: Construct, env: NodeJS.ProcessEnv = process.env): RapportConfig {
  return resolveConfig((key) => scope.node.tryGetContext(key), env);
}

/** Same as `loadConfig`, from any key → value lookup (handy in tests). */
export function resolveConfig(read: ContextReader, env: NodeJS.ProcessEnv = {}): RapportConfig {
  const d = defaultConfig;
  // HTTP functions answer inside API Gateway's 30 s integration timeout.
  const sizing = (prefix: string, def: FunctionSizing, maxTimeout = 900): FunctionSizing => ({
    memoryMb: int(read, `${prefix}MemoryMb`, def.memoryMb, 128, 10240),
    timeoutSeconds: int(read, `${prefix}TimeoutSeconds`, def.timeoutSeconds, 1, maxTimeout),
  });
  const config: RapportConfig = {
    stackName: str(read, 'stackName', d.stackName, /^[A-Za-z][A-Za-z0-9-]{0,127}$/),
    nag: bool(read, 'nag', d.nag),
    phoneRegion: str(read, 'phoneRegion', d.phoneRegion, /^[A-Z]{2}$/),
    logLevel: oneOf(read, 'logLevel', d.logLevel, ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const),
    logRetentionDays: oneOf(read, 'logRetentionDays', d.logRetentionDays, VALID_RETENTION_DAYS, Number),
    auditRetentionDays: int(read, 'auditRetentionDays', d.auditRetentionDays, 1, 3650),
    throttleRateLimit: int(read, 'throttleRateLimit', d.throttleRateLimit, 1, 1_000_000),
    throttleBurstLimit: int(read, 'throttleBurstLimit', d.throttleBurstLimit, 1, 1_000_000),
    publicRouteRateLimit: int(read, 'publicRouteRateLimit', d.publicRouteRateLimit, 1, 1_000_000),
    publicRouteBurstLimit: int(read, 'publicRouteBurstLimit', d.publicRouteBurstLimit, 1, 1_000_000),
    adminMfa: oneOf(read, 'adminMfa', d.adminMfa, ['OPTIONAL', 'REQUIRED'] as const),
    cognitoFeaturePlan: oneOf(read, 'cognitoFeaturePlan', d.cognitoFeaturePlan, ['PLUS', 'ESSENTIALS'] as const),
    functions: {
      'public-api': sizing('publicApi', d.functions['public-api'], 29),
      'admin-api': sizing('adminApi', d.functions['admin-api'], 29),
      aggregator: sizing('aggregator', d.functions.aggregator),
      // The queue's visibility timeout is derived from it; an attempt alone may take 10 s.
      'webhook-fanout': sizing('webhookFanout', d.functions['webhook-fanout']),
      'webhook-sender': sizing('webhookSender', d.functions['webhook-sender'], 300),
      notifier: sizing('notifier', d.functions.notifier),
    },
    mailFrom: optionalStr(read, 'mailFrom', MAIL_FROM),
    notifierScheduleMinutes: int(read, 'notifierScheduleMinutes', d.notifierScheduleMinutes, 5, 60),
    alarmEmail: optionalStr(read, 'alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/),
    acknowledgeNoAlarmEmail: bool(read, 'acknowledgeNoAlarmEmail', d.acknowledgeNoAlarmEmail),
    region: optionalStr(
      (key) => read(key) ?? (key === 'region' ? env.CDK_DEFAULT_REGION : undefined),
      'region',
      REGION,
    ),
    waf: bool(read, 'waf', d.waf),
    rateLimits: {
      surveyResponses: rateLimit(read, 'wafResponseRate', d.rateLimits.surveyResponses),
      api: rateLimit(read, 'wafApiRate', d.rateLimits.api),
    },
    consoleDomainPrefix: optionalStr(read, 'consoleDomainPrefix', DOMAIN_PREFIX),
    alarms: resolveAlarmConfig(read),
  };
  if (config.consoleDomainPrefix && RESERVED_IN_DOMAIN.test(config.consoleDomainPrefix)) {
    throw new ConfigError(
      `context consoleDomainPrefix=${JSON.stringify(config.consoleDomainPrefix)} must not contain aws, amazon or cognito`,
    );
  }
  if (
    config.publicRouteRateLimit > config.throttleRateLimit ||
    config.publicRouteBurstLimit > config.throttleBurstLimit
  ) {
    throw new ConfigError(
      'publicRouteRateLimit/publicRouteBurstLimit must not exceed throttleRateLimit/throttleBurstLimit',
    );
  }
  return config;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function str(read: ContextReader, key: string, def: string, pattern: RegExp): string {
  const raw = read(key);
  if (raw === undefined || raw === null) return def;
  const value = String(raw).trim();
  if (!pattern.test(value)) throw new ConfigError(`context ${key}=${JSON.stringify(raw)} must match ${pattern}`);
  return value;
}

function optionalStr(read: ContextReader, key: string, pattern: RegExp): string | undefined {
  const raw = read(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  return str(read, key, '', pattern);
}

/** `address@domain` or `Display Name <address@domain>`: what SES takes as a From. */
const MAIL_FROM = /^(?:[^<>\r\n]{1,100} <[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;

/** The address of a From value: what the SES identity must be (or be the domain of). */
export function mailFromAddress(from: string): string {
  return /<([^>]+)>$/.exec(from)?.[1] ?? from;
}

/** An AWS region name, e.g. eu-west-1, us-east-1, cn-north-1, us-gov-west-1. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function rateLimit(read: ContextReader, prefix: string, def: RateLimit): RateLimit {
  return {
    limit: int(read, `${prefix}Limit`, def.limit, MIN_RATE_LIMIT, MAX_RATE_LIMIT),
    windowSeconds: oneOf(read, `${prefix}WindowSeconds`, def.windowSeconds, RATE_WINDOWS, Number),
  };
}

function bool(read: ContextReader, key: string, def: boolean): boolean {
  const raw = read(key);
  if (raw === undefined || raw === null) return def;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new ConfigError(`context ${key}=${JSON.stringify(raw)} must be true or false`);
}

function int(read: ContextReader, key: string, def: number, min: number, max: number): number {
  const raw = read(key);
  if (raw === undefined || raw === null) return def;
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`context ${key}=${JSON.stringify(raw)} must be an integer in [${min}, ${max}]`);
  }
  return value;
}

function oneOf<T extends string | number>(
  read: ContextReader,
  key: string,
  def: T,
  allowed: readonly T[],
  parse: (raw: string) => unknown = (s) => s,
): T {
  const raw = read(key);
  if (raw === undefined || raw === null) return def;
  const value = typeof raw === 'string' ? parse(raw.trim()) : raw;
  const match = allowed.find((a) => a === value);
  if (match === undefined)
    throw new ConfigError(`context ${key}=${JSON.stringify(raw)} must be one of ${allowed.join(', ')}`);
  return match;
}
