/**
 * `npm start`: the local runtime with data kept under `.data/`, demo data, and a banner with
 * everything needed to call the API. Ctrl-C stops all it started (no JVM left behind).
 */
import { parseArgs } from 'node:util';
import { clientRateRules } from '../functions/contracts/edge-limits';
import { describeError, isLocalRuntimeError } from './errors';
import { defaultDataDir } from './repo-paths';
import { type Runtime, startRuntime } from './runtime';

function portFromArgs(): number {
  const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' } }, allowPositionals: true });
  const raw = values.port ?? process.env.PORT ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`rapport: "${raw}" is not a valid port number`);
    process.exit(1);
  }
  return port;
}

/** How often `npm start` runs the notification job (RAPPORT_SCHEDULE_SECONDS, default 60; 0 = never). */
function scheduleSecondsFromEnv(): number {
  const raw = process.env.RAPPORT_SCHEDULE_SECONDS ?? '60';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
    console.error(`rapport: RAPPORT_SCHEDULE_SECONDS="${raw}" must be a whole number of seconds (0 = off)`);
    process.exit(1);
  }
  return seconds;
}

function banner(runtime: Runtime, scheduleSeconds: number): string {
  const { url, tokens } = runtime;
  return [
    '',
    'Rapport is running locally.',
    `  Console:    ${url}/   (sign in as admin or analyst)`,
    `  Demo page:  ${url}/demo`,
    `  API:        ${url}/v1   (OpenAPI: ${url}/v1/openapi.json)`,
    `  Health:     ${url}/v1/health`,
    ...(runtime.demoSurveyId ? [`  Demo survey: ${runtime.demoSurveyId}`] : []),
    `  Mail:       ${url}/dev/mail   (alerts and digests, written as .eml to ${runtime.outbox?.dir ?? 'nowhere'}; nothing is really sent)`,
    `  Schedule:   ${scheduleSeconds ? `alert and digest job every ${scheduleSeconds} s (RAPPORT_SCHEDULE_SECONDS)` : 'off (RAPPORT_SCHEDULE_SECONDS=0)'}`,
    `  DynamoDB:   ${runtime.dynamoEndpoint} (table "${runtime.tableName}", data in ${runtime.dataDir ?? 'memory'})`,
    '',
    'For curl: access tokens, valid 12 h and across restarts on this port.',
    'Admin (reads and writes):',
    tokens.admin,
    '',
    'Analyst (reads only):',
    tokens.analyst,
    '',
    'Try:',
    `  curl -s ${url}/v1/health`,
    `  export TOKEN='${tokens.admin}'`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${url}/v1/customers`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const port = portFromArgs();
  const scheduleSeconds = scheduleSecondsFromEnv();
  let runtime: Runtime;
  try {
    runtime = await startRuntime({
      port,
      dataDir: defaultDataDir,
      seed: true,
      seedResponses: true,
      quiet: false,
      clientRateRules,
      scheduleSeconds,
    });
  } catch (error) {
    console.error(`rapport: ${isLocalRuntimeError(error) ? error.message : describeError(error)}`);
    process.exit(1);
  }
  if (runtime.seedOutcome === 'seeded') console.log('Demo customers created.');
  console.log(banner(runtime, scheduleSeconds));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`rapport: stopping failed: ${describeError(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
