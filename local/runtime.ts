/**
 * The whole local runtime in one call: DynamoDB Local, the table, the handlers behind the local
 * gateway, the stream feeding the aggregator, and tokens to call it with. `npm start` and the
 * integration tests both use it, so what the tests exercise is what a developer runs.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { type Resolver, systemResolver } from '../functions/adapters/webhooks/http-transport';
import type { ClientRateRule } from '../functions/contracts/edge-limits';
import { type HttpFunctionName, routes } from '../functions/contracts/routes';
import { AGGREGATOR_STREAM_FILTERS, WEBHOOK_FANOUT_STREAM_FILTERS } from '../functions/contracts/stream-filters';
import { LOCAL_TABLE_NAME } from '../functions/contracts/table-schema';
import type { DeliveryQueue } from '../functions/domain/webhooks/delivery-ports';
import type { NotifierRun } from '../functions/handlers/notifier';
import type { SenderWiring } from '../functions/handlers/webhook-sender';
import { ensureTable } from './bootstrap';
import type { QueueHandler } from './delivery-queue';
import { LocalDeliveryQueue } from './delivery-queue';
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
   * listed at `/dev/mail`. Default `<dataDir>/mail`; without a data directory, a temporary folder.
   */
  readonly mailDir?: string;
  /** Run the notification job (alerts, digests) every this many seconds; 0 or omitted = only on `runNotifications()`. */
  readonly scheduleSeconds?: number;
  /** Stream delivery tuning; tests shorten the retry backoff. */
  readonly stream?: { readonly pollIntervalMs?: number; readonly maxAttempts?: number; readonly retryBaseMs?: number };
  /** Webhook delivery (docs/webhooks.md "Running locally"). */
  readonly webhooks?: LocalWebhookOptions;
}

export interface LocalWebhookOptions {
  /**
   * Deliveries may go to loopback (plain http too): default true, so a developer's own receiver on
   * 127.0.0.1 works. Tests turn it off to see the refusal AWS would give.
   */
  readonly allowLoopback?: boolean;
  /** Multiplies every retry wait (the same code path as in AWS, a day compressed). Default 0.01. */
  readonly timeScale?: number;
  /** Host name → addresses, consulted before DNS: a name that resolves where a test needs it to. */
  readonly hosts?: Readonly<Record<string, readonly string[]>>;
  /** The queue's visibility timeout and max receives before its dead letter (SQS's redrive). */
  readonly visibilityTimeoutMs?: number;
  readonly maxReceives?: number;
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
  /** The local outbox: every e-mail Rapport sends (alerts, digests, webhook notices), as `.eml` files, listed at `/dev/mail`. */
  readonly outbox: FileOutbox;
  /** The local webhook delivery queue (SQS's stand-in). */
  readonly deliveryQueue: LocalDeliveryQueue;
  /** Runs the notification job once, as the schedule would (optionally as if it were `now`). */
  runNotifications(options?: { now?: Date }): Promise<NotifierRun>;
  /** Resolves once every stream record written so far has reached the aggregator and the webhook fan-out. */
  drainStream(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops gateway, poller and DynamoDB Local, in that order; resolves when all are down. */
  stop(): Promise<void>;
}

interface LoadedHandlers {
  readonly http: Record<HttpFunctionName, HttpHandler>;
  readonly aggregator: StreamHandler;
  readonly webhookFanout: (queue: DeliveryQueue) => StreamHandler;
  readonly webhookSender: (wiring: SenderWiring) => QueueHandler;
}

/** Names from `hosts` first, then the system's resolver. */
function hostsResolver(hosts: Readonly<Record<string, readonly string[]>>): Resolver {
  return async (host) => {
    const mapped = hosts[host.toLowerCase()];
    return mapped ? [...mapped] : systemResolver(host);
  };
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

    const webhookOptions = options.webhooks ?? {};
    applyLocalEnv({
      tableName,
      dynamoEndpoint: dynamoDb.endpoint,
      quiet,
      ...(options.phoneRegion ? { phoneRegion: options.phoneRegion } : {}),
      extra: {
        WEBHOOK_ALLOW_LOOPBACK: webhookOptions.allowLoopback === false ? '0' : '1',
        WEBHOOK_TIME_SCALE: String(webhookOptions.timeScale ?? 0.01),
        ...options.env,
      },
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
      filters: AGGREGATOR_STREAM_FILTERS,
      awsRegion: localRegion(),
      deadLetterFile: dataDir ? path.join(dataDir, 'stream-dlq.jsonl') : null,
      quiet,
      ...(options.stream?.pollIntervalMs ? { pollIntervalMs: options.stream.pollIntervalMs } : {}),
      ...(options.stream?.maxAttempts ? { maxAttempts: options.stream.maxAttempts } : {}),
      ...(options.stream?.retryBaseMs ? { retryBaseMs: options.stream.retryBaseMs } : {}),
    });
    stack.push(() => poller.stop());

    // Webhooks: the stream's second consumer fans changes out into the queue; the sender drains it.
    const deliveryQueue = new LocalDeliveryQueue({
      ...(webhookOptions.visibilityTimeoutMs ? { visibilityTimeoutMs: webhookOptions.visibilityTimeoutMs } : {}),
      ...(webhookOptions.maxReceives ? { maxReceives: webhookOptions.maxReceives } : {}),
      deadLetterFile: dataDir ? path.join(dataDir, 'webhook-queue-dlq.jsonl') : null,
      pollIntervalMs: options.stream?.pollIntervalMs ?? 100,
      quiet,
    });
    // One outbox for every e-mail (alerts, digests, webhook notices); without a data directory, a temporary one.
    const outbox = new FileOutbox(
      path.resolve(
        options.mailDir ?? (dataDir ? path.join(dataDir, 'mail') : mkdtempSync(path.join(tmpdir(), 'rapport-mail-'))),
      ),
      LOCAL_MAIL_FROM,
    );
    const webhookPoller: StreamPoller = startStreamPoller({
      dynamo,
      streams,
      tableName,
      handler: handlers.webhookFanout(deliveryQueue),
      functionName: 'rapport-webhook-fanout',
      filters: WEBHOOK_FANOUT_STREAM_FILTERS,
      awsRegion: localRegion(),
      deadLetterFile: dataDir ? path.join(dataDir, 'webhook-stream-dlq.jsonl') : null,
      quiet,
      // A second reader of the same stream: polled less often than the aggregator's so DynamoDB Local
      // is not asked twice as much (drainStream wakes it at once when a test waits for it).
      pollIntervalMs: Math.max(4 * (options.stream?.pollIntervalMs ?? 200), 500),
      ...(options.stream?.maxAttempts ? { maxAttempts: options.stream.maxAttempts } : {}),
      ...(options.stream?.retryBaseMs ? { retryBaseMs: options.stream.retryBaseMs } : {}),
    });
    stack.push(() => webhookPoller.stop());
    deliveryQueue.start(
      handlers.webhookSender({
        queue: deliveryQueue,
        mailer: outbox,
        ...(webhookOptions.hosts ? { resolve: hostsResolver(webhookOptions.hosts) } : {}),
      }),
    );
    stack.push(() => deliveryQueue.stop());

    // The pages need the gateway's URL and the seeded survey's id, both known only later.
    let demoSurveyId: string | undefined;
    const site = createStaticSite({
      apiUrl: () => gatewayUrl,
      demoSurveyId: () => demoSurveyId,
      identityProvider,
      ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    });
    const extraRoutes = options.staticRoutes;
    const mailPages = devMailRoutes(outbox);
    const staticRoutes: StaticRoutes = async (method, rawPath, request) =>
      (await extraRoutes?.(method, rawPath, request)) ??
      (await mailPages(method, rawPath, request)) ??
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
      deliveryQueue,
      runNotifications,
      mintToken: (mint) => identityProvider.mintToken(mint),
      drainStream: async (drain) => {
        await Promise.all([poller.drain(drain), webhookPoller.drain(drain)]);
      },
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Imported only now, after the environment is set: the handlers build their clients at load. */
async function loadHandlers(): Promise<LoadedHandlers> {
  const [publicApi, adminApi, aggregator, fanout, sender] = await Promise.all([
    import('../functions/handlers/public-api'),
    import('../functions/handlers/admin-api'),
    import('../functions/handlers/aggregator'),
    import('../functions/handlers/webhook-fanout'),
    import('../functions/handlers/webhook-sender'),
  ]);
  return {
    http: {
      'public-api': handlerOf<HttpHandler>(publicApi, 'public-api'),
      'admin-api': handlerOf<HttpHandler>(adminApi, 'admin-api'),
    },
    aggregator: handlerOf<StreamHandler>(aggregator, 'aggregator'),
    // Built here around the local queue and outbox (in AWS: SQS and SES), with everything else the same.
    webhookFanout: (queue) => fanout.fanoutHandlerWith(queue),
    webhookSender: (wiring) => sender.senderHandlerWith(wiring),
  };
}

function withOverrides(loaded: LoadedHandlers, overrides: RuntimeOptions['handlers']): LoadedHandlers {
  return {
    http: {
      'public-api': overrides?.['public-api'] ?? loaded.http['public-api'],
      'admin-api': overrides?.['admin-api'] ?? loaded.http['admin-api'],
    },
    aggregator: overrides?.aggregator ?? loaded.aggregator,
    webhookFanout: loaded.webhookFanout,
    webhookSender: loaded.webhookSender,
  };
}

/** The handler modules' own types are theirs to choose (middy wraps them); the call shape is checked here. */
function handlerOf<T>(module: { handler?: unknown }, name: string): T {
  if (typeof module.handler !== 'function') {
    throw new LocalRuntimeError('handler-invalid', `functions/handlers/${name}.ts does not export a handler function`);
  }
  return module.handler as T;
}
