/**
 * The environment the handlers read, set the way the Lambda functions get it from CDK. Process-wide
 * by nature: the handlers create their DynamoDB client at module load, so this runs before they are
 * imported, and every handler in the process talks to the same DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/contracts/metric-names';

export interface LocalEnvOptions {
  readonly tableName: string;
  readonly dynamoEndpoint: string;
  readonly phoneRegion?: string;
  readonly quiet: boolean;
  /** Extra variables a handler may need later; they win over the defaults here. */
  readonly extra?: Readonly<Record<string, string>>;
}

const DEFAULT_REGION = 'us-east-1';

export function localRegion(): string {
  return process.env.AWS_REGION ?? DEFAULT_REGION;
}

/** Dummy keys: DynamoDB Local accepts anything, and real keys must never be needed locally. */
export function localCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  };
}

export function applyLocalEnv(options: LocalEnvOptions): void {
  const env = process.env;
  env.TABLE_NAME = options.tableName;
  env.DYNAMODB_ENDPOINT = options.dynamoEndpoint;
  env.AWS_REGION ??= DEFAULT_REGION;
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  env.PHONE_REGION = options.phoneRegion ?? env.PHONE_REGION ?? 'CN';
  env.POWERTOOLS_SERVICE_NAME ??= 'rapport';
  env.POWERTOOLS_METRICS_NAMESPACE ??= DEFAULT_METRICS_NAMESPACE;
  // Outside Lambda there is no X-Ray daemon to send traces to.
  env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  // The gateway prints one line per request itself; the handlers' JSON lines are for CloudWatch.
  // Tests read responses, not log lines; errors still show. EMF metrics go nowhere locally.
  env.POWERTOOLS_LOG_LEVEL ??= options.quiet ? 'ERROR' : 'WARN';
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // Every handler's DynamoDB client refuses what its IAM policy in AWS would (functions/contracts/data-access.ts).
  env.RAPPORT_ENFORCE_DATA_ACCESS ??= '1';
  for (const [name, value] of Object.entries(options.extra ?? {})) env[name] = value;
}

/** A client for the runtime's own use (bootstrap, poller, tests), configured like the handlers'. */
export function createLocalDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: localRegion(), credentials: localCredentials() });
}
