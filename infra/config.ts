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
 * - `alarmEmail`            E-mail address subscribed to the ops alarm topic (consumed by the
 *                           observability construct). Default: none.
 * - alarm thresholds and SLOs (`alarms`): see infra/alarm-config.ts (`alarmContextKeys`), e.g.
 *                           `-c availabilitySloPercent=99.5 -c csatThresholdPercent=75`.
 */
import type { Construct } from 'constructs';
import { functionTimeoutSeconds } from '../functions/contracts/function-limits';
import { type AlarmConfig, defaultAlarmConfig, resolveAlarmConfig } from './alarm-config';

export type MfaMode = 'OPTIONAL' | 'REQUIRED';
export type CognitoFeaturePlan = 'PLUS' | 'ESSENTIALS';
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface FunctionSizing {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

export interface RapportConfig {
  readonly stackName: string;
  readonly nag: boolean;
  readonly phoneRegion: string;
  readonly logLevel: LogLevel;
  readonly logRetentionDays: number;
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
  };
  readonly alarmEmail: string | undefined;
  /** Alarm thresholds and SLOs (infra/alarm-config.ts). */
  readonly alarms: AlarmConfig;
}

export const defaultConfig: RapportConfig = {
  stackName: 'Rapport',
  nag: true,
  phoneRegion: 'CN',
  logLevel: 'INFO',
  logRetentionDays: 90,
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
  },
  alarmEmail: undefined,
  alarms: defaultAlarmConfig,
};

/** Retention periods CloudWatch Logs accepts (aws-logs RetentionDays, without INFINITE). */
const VALID_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

type ContextReader = (key: string) => unknown;

/** Reads the configuration from a construct's context (usually the App), falling back to defaults. */
export function loadConfig(scope: Construct): RapportConfig {
  return resolveConfig((key) => scope.node.tryGetContext(key));
}

/** Same as `loadConfig`, from any key → value lookup (handy in tests). */
export function resolveConfig(read: ContextReader): RapportConfig {
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
    },
    alarmEmail: optionalStr(read, 'alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/),
    alarms: resolveAlarmConfig(read),
  };
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
