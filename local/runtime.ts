/**
 * The whole local runtime in one call: DynamoDB Local, the table, the handlers behind the local
 * gateway, the stream feeding the aggregator, and tokens to call it with. `npm start` and the
 * integration tests both use it, so what the tests exercise is what a developer runs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { ClientRateRule } from '../functions/contracts/edge-limits';
import { type HttpFunctionName, routes } from '../functions/contracts/routes';
import { LOCAL_TABLE_NAME } from '../functions/contracts/table-schema';
import type { NotifierRun } from '../functions/handlers/notifier';
import { ensureTable } from './bootstrap';
import { devMailRoutes } from './dev-mail';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { LocalRuntimeError } from './errors';
import { isPortInUse, LOOPBACK } from './free-port';
import { type Gateway, type HttpHandler, type StaticRoutes, startGateway } from './gateway';
import { createLocalIdentityProvider, type LocalIdentityProvider, type MintTokenOptions } from './jwt';
import { applyLocalEnv, createLocalDynamoClient, localCredentials, localRegion } from './local-env';
import { FileOutbox } from './mail-outbox';
import { LOCAL_USERS } from './oidc-provider';
import { type SeedOutcome, seedDemoData, seedDemoResponses, seedDemoSurvey } from './seed';
import { createStaticSite } from './static-site';
import { type StreamHandler, type StreamPoller, type StreamStats, startStreamPoller } from './stream-poller';

export interface RuntimeOptions {
  /** Gateway port; 0 or omitted = a free port. */
  readonly port?: number;
  readonly host?: typeof LOOPBACK;
  /** Directory for the database, the JWT key and the stream dead letters; `null` or omitted = in memory, ephemeral key. */
  readonly dataDir?: string | null;
  /** DynamoDB Local port; omitted = a free port. */
  readonly dynamoPort?: number;
  readonly seed?: boolean;
  /** With `seed`: also four weeks of demo answers to the demo survey (`npm start`), once per database. */
  readonly seedResponses?: boolean;
  readonly quiet?: boolean;
  readonly phoneRegion?: string;
  readonly corsOrigins?: readonly string[];
  /** The edge's per-client rate rules (AWS WAF's stand-in); none by default, `npm start` sets them. */
  readonly clientRateRules?: readonly ClientRateRule[];
  /** Pages served before the built-in ones (the demo page at `/`, the widget under `/widget/`). */
  readonly staticRoutes?: StaticRoutes;
  /** Further environment variables for the handlers. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Replace a handler (tests: record the events it gets, then delegate to the real one, which can be
   * imported once this runtime has started and set the environment).
   */
  readonly handlers?: Partial<Readonly<Record<HttpFunctionName, HttpHandler> & { aggregator: StreamHandler }>>;
  /** Lifetime of the access and ID tokens the sign-in flow issues (default one hour, like Cognito). */
  readonly tokenLifetimeSeconds?: number;
  /**
   * Folder of the local outbox: every e-mail the notification job sends becomes an `.eml` file here,
   * listed at `/dev/mail`. Default `<dataDir>/mail`; without a data directory, no outbox (and no
   * e-mail) unless given.
   */
  readonly mailDir?: string;
  /** Run the notification job (alerts, digests) every this many seconds; 0 or omitted = only on `runNotifications()`. */
  readonly scheduleSeconds?: number;
  /** Stream delivery tuning; tests shorten the retry backoff. */
  readonly stream?: { readonly pollIntervalMs?: number; readonly maxAttempts?: number; readonly retryBaseMs?: number };
}

export interface Runtime {
  readonly url: string;
  readonly dynamoEndpoint: string;
  /** Process id of DynamoDB Local (fault tests freeze and resume it). */
  readonly dynamoPid: number | undefined;
  readonly tableName: string;
  readonly dataDir: string | null;
  /** Ready-made access tokens (12 h): `admin` may write, `analyst` may read. */
  readonly tokens: { readonly admin: string; readonly analyst: string };
  readonly identityProvider: LocalIdentityProvider;
  /** What happened to the demo data; undefined when seeding was not asked for. */
  readonly seedOutcome: SeedOutcome | undefined;
  /** Id of the seeded, published demo survey (the demo page embeds it); undefined without seeding. */
  readonly demoSurveyId: string | undefined;
  /** Live counters of the stream poller (`delivered`, `read`, …). */
  readonly stats: Readonly<StreamStats>;
  mintToken(options: MintTokenOptions): Promise<string>;
  /** The local outbox, when there is one. */
  readonly outbox: FileOutbox | undefined;
  /** Runs the notification job once, as the schedule would (optionally as if it were `now`). */
  runNotifications(options?: { now?: Date }): Promise<NotifierRun>;
  /** Resolves once every stream record written so far has reached the aggregator. */
  drainStream(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops gateway, poller and DynamoDB Local, in that order; resolves when all are down. */
  stop(): Promise<void>;
}

interface LoadedHandlers {
  readonly http: Record<HttpFunctionName, HttpHandler>;
  readonly aggregator: StreamHandler;
}

/**
 * The handlers read their environment (endpoint, table) once, at import. A later runtime in the same
 * process must therefore put DynamoDB Local on the port they already point at.
 */
let handlersBoundToDynamoPort: number | undefined;

/** Sender of the local outbox's messages (in AWS: the `mailFrom` SES identity). */
export const LOCAL_MAIL_FROM = 'Rapport (local) <rapport@localhost>';

/** The banner's tokens outlive Cognito's one hour so a terminal session can use them all day. */
const BANNER_TOKEN_LIFETIME = '12h';

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const quiet = options.quiet ?? false;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : null;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const tableName = LOCAL_TABLE_NAME;
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stack.splice(0).reverse()) await stop();
  };

  try {
    // Fail before the JVM spends seconds starting if the gateway could not listen anyway.
    if (options.port && (await isPortInUse(options.port))) {
      throw new LocalRuntimeError(
        'port-in-use',
        `port ${options.port} is in use: stop the other process or run PORT=${options.port + 1} npm start`,
      );
    }
    const dynamoPort = options.dynamoPort ?? handlersBoundToDynamoPort;
    const dynamoDb: DynamoDbLocal = await startDynamoDbLocal({
      ...(dynamoPort ? { port: dynamoPort } : {}),
      dbPath: dataDir ? path.join(dataDir, 'dynamodb') : null,
    });
    stack.push(() => dynamoDb.stop());
    handlersBoundToDynamoPort ??= dynamoDb.port;

    applyLocalEnv({
      tableName,
      dynamoEndpoint: dynamoDb.endpoint,
      quiet,
      ...(options.phoneRegion ? { phoneRegion: options.phoneRegion } : {}),
      ...(options.env ? { extra: options.env } : {}),
    });

    const dynamo: DynamoDBClient = createLocalDynamoClient(dynamoDb.endpoint);
    const streams = new DynamoDBStreamsClient({
      endpoint: dynamoDb.endpoint,
      region: localRegion(),
      credentials: localCredentials(),
    });
    stack.push(async () => {
      dynamo.destroy();
      streams.destroy();
    });
    await ensureTable(dynamo, tableName);

    // The issuer is the runtime's own URL, known once the gateway listens (tokens are minted after that).
    let gatewayUrl = '';
    const identityProvider = await createLocalIdentityProvider({
      keyFile: dataDir ? path.join(dataDir, 'local-jwt-key.json') : null,
      issuer: () => gatewayUrl,
    });
    const handlers = withOverrides(await loadHandlers(), options.handlers);

    const poller: StreamPoller = startStreamPoller({
      dynamo,
      streams,
      tableName,
      handler: handlers.aggregator,
      awsRegion: localRegion(),
      deadLetterFile: dataDir ? path.join(dataDir, 'stream-dlq.jsonl') : null,
      quiet,
      ...(options.stream?.pollIntervalMs ? { pollIntervalMs: options.stream.pollIntervalMs } : {}),
      ...(options.stream?.maxAttempts ? { maxAttempts: options.stream.maxAttempts } : {}),
      ...(options.stream?.retryBaseMs ? { retryBaseMs: options.stream.retryBaseMs } : {}),
    });
    stack.push(() => poller.stop());

    // The pages need the gateway's URL and the seeded survey's id, both known only later.
    let demoSurveyId: string | undefined;
    const site = createStaticSite({
      apiUrl: () => gatewayUrl,
      demoSurveyId: () => demoSurveyId,
      identityProvider,
      ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    });
    const extraRoutes = options.staticRoutes;
    const mailDir = options.mailDir ?? (dataDir ? path.join(dataDir, 'mail') : undefined);
    const outbox = mailDir ? new FileOutbox(path.resolve(mailDir), LOCAL_MAIL_FROM) : undefined;
    const mailPages = outbox ? devMailRoutes(outbox) : undefined;
    const staticRoutes: StaticRoutes = async (method, rawPath, request) =>
      (await extraRoutes?.(method, rawPath, request)) ??
      (await mailPages?.(method, rawPath, request)) ??
      site(method, rawPath, request);

    const gateway: Gateway = await startGateway({
      routes,
      handlers: handlers.http,
      identityProvider,
      port: options.port ?? 0,
      host: options.host ?? LOOPBACK,
      quiet,
      ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
      ...(options.clientRateRules ? { clientRateRules: options.clientRateRules } : {}),
      staticRoutes,
    });
    stack.push(() => gateway.close());
    gatewayUrl = gateway.url;

    // Access tokens (what the API takes), for curl and the tests; the console signs in through /oauth2.
    const tokens = {
      admin: await identityProvider.mintToken({ ...LOCAL_USERS.admin, expiresIn: BANNER_TOKEN_LIFETIME }),
      analyst: await identityProvider.mintToken({ ...LOCAL_USERS.analyst, expiresIn: BANNER_TOKEN_LIFETIME }),
    };

    const seedOptions = {
      client: dynamo,
      tableName,
      baseUrl: gateway.url,
      adminToken: tokens.admin,
      ...(quiet ? { warn: () => undefined } : {}),
    };
    const seedOutcome = options.seed ? await seedDemoData(seedOptions) : undefined;
    demoSurveyId = options.seed ? await seedDemoSurvey(seedOptions) : undefined;
    if (demoSurveyId && options.seedResponses) await seedDemoResponses(seedOptions, demoSurveyId);

    // The same job code as the Lambda, with the outbox as its mailer and the gateway as its public URL.
    const notifierModule = await import('../functions/handlers/notifier');
    const runNotifications = (run: { now?: Date } = {}) => {
      const fixed = run.now;
      return notifierModule
        .createNotifier({
          mailer: outbox,
          publicUrl: gateway.url,
          consoleUrl: gateway.url,
          ...(fixed ? { clock: { now: () => fixed } } : {}),
        })
        .run();
    };
    if (options.scheduleSeconds && options.scheduleSeconds > 0) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        runNotifications()
          .catch((error: unknown) => {
            if (!quiet) console.error(`notifications: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => {
            running = false;
          });
      }, options.scheduleSeconds * 1000);
      timer.unref();
      stack.push(async () => clearInterval(timer));
    }

    let stopping: Promise<void> | undefined;
    return {
      url: gateway.url,
      dynamoEndpoint: dynamoDb.endpoint,
      dynamoPid: dynamoDb.pid,
      tableName,
      dataDir,
      tokens,
      identityProvider,
      seedOutcome,
      demoSurveyId,
      stats: poller.stats,
      outbox,
      runNotifications,
      mintToken: (mint) => identityProvider.mintToken(mint),
      drainStream: (drain) => poller.drain(drain),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Imported only now, after the environment is set: the handlers build their clients at load. */
async function loadHandlers(): Promise<LoadedHandlers> {
  const [publicApi, adminApi, aggregator] = await Promise.all([
    import('../functions/handlers/public-api'),
    import('../functions/handlers/admin-api'),
    import('../functions/handlers/aggregator'),
  ]);
  return {
    http: {
      'public-api': handlerOf<HttpHandler>(publicApi, 'public-api'),
      'admin-api': handlerOf<HttpHandler>(adminApi, 'admin-api'),
    },
    aggregator: handlerOf<StreamHandler>(aggregator, 'aggregator'),
  };
}

function withOverrides(loaded: LoadedHandlers, overrides: RuntimeOptions['handlers']): LoadedHandlers {
  return {
    http: {
      'public-api': overrides?.['public-api'] ?? loaded.http['public-api'],
      'admin-api': overrides?.['admin-api'] ?? loaded.http['admin-api'],
    },
    aggregator: overrides?.aggregator ?? loaded.aggregator,
  };
}

/** The handler modules' own types are theirs to choose (middy wraps them); the call shape is checked here. */
function handlerOf<T>(module: { handler?: unknown }, name: string): T {
  if (typeof module.handler !== 'function') {
    throw new LocalRuntimeError('handler-invalid', `functions/handlers/${name}.ts does not export a handler function`);
  }
  return module.handler as T;
}
