/**
 * `npm run bench`: runs every benchmark against an in-memory local runtime and prints the numbers.
 * `npm run bench -- --write` also rewrites the results section of docs/benchmarks.md.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { buildConsole } from '../console/build';
import { startBenchRuntime } from './bench-runtime';
import { benchBundles } from './bundles';
import { benchResultsRender, consoleSizes, RENDER_TARGET_MS } from './console';
import { benchCustomers } from './customers';
import { benchHandlerCpu } from './handler-cpu';
import { benchLoad } from './load';
import { benchReportLatency } from './report-latency';
import { fmt } from './stats';
import { widgetSizes, widgetSizeTable } from './widget-size';
import { benchWriteUnits } from './write-units';

/** Progress goes to stderr, so `npm run bench > out.md` still captures only the results. */
const progress = (what: string) => console.error(`bench: ${what}…`);

async function main() {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  // The runtime serves the console from console/dist: the render bench needs the current build.
  await buildConsole();
  const runtime = await startBenchRuntime();
  const lines: string[] = [];
  let load: Awaited<ReturnType<typeof benchLoad>> | undefined;
  try {
    lines.push(`Machine: ${machine}`, `Date: ${new Date().toISOString()}`, '');
    progress('customer API latency');
    lines.push('### Customer API', '');
    lines.push('| case | n | p50 ms | p90 ms | p99 ms | max ms | per second |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const r of await benchCustomers(runtime)) {
      const s = r.summary;
      lines.push(
        `| ${r.name} | ${s.count} | ${fmt(s.p50)} | ${fmt(s.p90)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${fmt(s.perSecond)} |`,
      );
    }
    progress('load: 15 s of submissions with admin reads');
    load = await benchLoad(runtime);
    lines.push('', '### Load: submissions with admin reads in parallel (autocannon, 127.0.0.1)', '');
    lines.push('| traffic | requests | per second | p50 ms | p99 ms | non-2xx |', '|---|---:|---:|---:|---:|---:|');
    lines.push(
      `| POST /v1/surveys/{id}/responses, 16 connections, 15 s | ${load.submissions.requests} | ${fmt(load.submissions.perSecond)} | ${fmt(load.submissions.p50)} | ${fmt(load.submissions.p99)} | ${load.submissions.non2xx + load.submissions.errors} |`,
    );
    lines.push(
      `| GET report + customers (analyst), 4 connections, same 15 s | ${load.adminReads.requests} | ${fmt(load.adminReads.perSecond)} | ${fmt(load.adminReads.p50)} | ${fmt(load.adminReads.p99)} | ${load.adminReads.non2xx} |`,
    );
    lines.push(
      `| POST /v1/surveys/{id}/responses alone (stream running), 16 connections, 10 s | ${load.submissionsOnly.requests} | ${fmt(load.submissionsOnly.perSecond)} | ${fmt(load.submissionsOnly.p50)} | ${fmt(load.submissionsOnly.p99)} | ${load.submissionsOnly.non2xx + load.submissionsOnly.errors} |`,
    );
    lines.push(
      `| baseline: raw DynamoDB Local PutItem, 16 in flight, one process | ${load.baseline.count} | ${fmt(load.baseline.perSecond)} | ${fmt(load.baseline.p50)} | ${fmt(load.baseline.p99)} | 0 |`,
    );
    const balanced = load.balanced && load.stored === load.reported;
    lines.push(
      '',
      `Acknowledged ${load.acknowledged}; stored ${load.stored} (each acknowledged answer exactly once, plus ${load.inFlightAtStop} sent but still in flight when the run stopped); counted by the report ${load.reported}: **${balanced ? 'balanced' : 'MISMATCH'}**.`,
      `Submissions alone reach **${fmt(load.submissionsOnly.perSecond / load.baseline.perSecond, 2)}×** the raw PutItem baseline (target ≥ 0.7×; each submission also runs the handler and the stream aggregation); with the admin reads beside them, ${fmt(load.submissions.perSecond / load.baseline.perSecond, 2)}×.`,
    );
    if (!balanced) process.exitCode = 1;

    lines.push('', '### Report latency: the same 90-day report over 1,000 vs 1,000,000 responses', '');
    lines.push(
      '| responses | aggregate items | load s | p50 ms | p90 ms | p99 ms |',
      '|---:|---:|---:|---:|---:|---:|',
    );
    progress('report latency at 1,000 / 100,000 / 1,000,000 responses (loads data first: minutes)');
    const reports = await benchReportLatency(runtime);
    for (const r of reports) {
      lines.push(
        `| ${r.responses.toLocaleString('en')} | ${r.aggregateItems} | ${fmt(r.loadSeconds)} | ${fmt(r.latency.p50)} | ${fmt(r.latency.p90)} | ${fmt(r.latency.p99)} |`,
      );
    }
    const [small, middle, large] = reports;
    if (small && middle && large) {
      lines.push(
        '',
        `Ratio of p50 latencies, 1,000,000 / 1,000: **${fmt(large.latency.p50 / small.latency.p50, 2)}**; 1,000,000 / 100,000: **${fmt(large.latency.p50 / middle.latency.p50, 2)}**.`,
        'The number of aggregate items is the same at every size (days × questions × segments); what grows from 1,000 to',
        '100,000 responses is how many histogram and joint-count cells are filled, which is bounded by the scales. Past that',
        'point the cost no longer grows with the number of responses.',
      );
    }
    const rendered = reports.find((r) => r.responses === 100_000) ?? reports.at(-1);
    if (rendered) {
      progress('console render in Chromium');
      const render = await benchResultsRender(runtime, rendered.surveyId);
      lines.push('', '### Console: results page render of a 90-day report (headless Chromium)', '');
      lines.push('| report | runs | p50 ms | p90 ms | max ms | target |', '|---|---:|---:|---:|---:|---|');
      lines.push(
        `| 90 days by day, ${rendered.responses.toLocaleString('en')} responses: tiles, trend, 5 distributions, drivers, comments | ${render.runs} | ${fmt(render.p50)} | ${fmt(render.p90)} | ${fmt(render.max)} | ≤ ${RENDER_TARGET_MS} ms (p50) ${render.p50 <= RENDER_TARGET_MS ? '✓' : '**over**'} |`,
      );
      lines.push(
        '',
        'From the moment the report has arrived (parsed) to the last chart drawn, Observable Plot already loaded.',
      );
    }
  } finally {
    await runtime.stop();
  }

  progress('write units per response: one at a time, then batched (a runtime of its own for each)');
  const unitRuns = await benchWriteUnits();
  lines.push('', '### DynamoDB write units per accepted response (everything included)', '');
  for (const units of unitRuns) {
    lines.push(
      '',
      `**${units.mode}**: ${units.responses} accepted responses to the demo survey (synthetic answers, ${units.followUps} follow-ups), stream drained; the aggregator was invoked ${units.aggregator.invocations} times with ${fmt(units.aggregator.recordsPerInvocation, 1)} records each on average: **${fmt(units.unitsPerResponse, 2)} WCU per response**, ${fmt(units.ratio, 2)}× the floor of one small PutItem (${fmt(units.floorUnits)} WCU; target ≤ 3×).`,
      '',
      '| operation | calls | items | table WCU | index WCU |',
      '|---|---:|---:|---:|---:|',
    );
    for (const [operation, e] of Object.entries(units.byOperation)) {
      const indexes = Object.entries(e.indexes)
        .map(([name, n]) => `${name} ${fmt(n)}`)
        .join(', ');
      lines.push(`| ${operation} | ${e.calls} | ${e.items} | ${fmt(e.table)} | ${indexes || '0'} |`);
    }
  }
  lines.push(
    '',
    "Transactions are charged by AWS's rule (2 WCU per item, a lower bound for items over 1 KB); everything else as DynamoDB Local reports it. One at a time, the stream's batches are small (the counter cells' cost is shared by few answers); batched (16 in flight, the poller waiting 1 s between polls like Lambda's batching window), they fill as Lambda's do under load.",
  );
  // The load's floor writes one item per operation; an accepted answer makes DynamoDB Local write several
  // (its own, its marker and cells in the stream's transaction, a detractor's follow-up and checks).
  const batched = unitRuns.find((u) => u.mode === 'batched');
  if (load && batched) {
    const items = Object.values(batched.byOperation).reduce((n, e) => n + e.items, 0) / batched.responses;
    const floor = load.baseline.perSecond / items;
    lines.push(
      '',
      `Item writes DynamoDB Local makes per accepted answer (batched run, conditional failures included): **${fmt(items, 2)}**. A floor that writes as many items per answer as raw PutItem does (${fmt(load.baseline.perSecond)} ÷ ${fmt(items, 2)} = ${fmt(floor)}/s) puts the submissions-only load (${fmt(load.submissionsOnly.perSecond)}/s) at **${fmt(load.submissionsOnly.perSecond / floor, 2)}×** of it.`,
    );
  }

  // The CPU bench mocks the DynamoDB client globally: it runs after the runtime has stopped.
  progress('bundle sizes and init times');
  const bundleRuns = 15;
  lines.push('', `### Lambda bundles: size and module-init time (fresh Node process, ${bundleRuns} runs)`, '');
  lines.push(
    '| bundle | bytes | gzip | × baseline | init p50 ms (min–max) | × baseline p50 (target) | × baseline min | × its HTTP-stack floor |',
    '|---|---:|---:|---:|---|---|---:|---:|',
  );
  for (const b of await benchBundles({ runs: bundleRuns })) {
    const target = b.initTarget === undefined ? '' : ` (≤ ${fmt(b.initTarget, 1)})`;
    lines.push(
      `| ${b.name} | ${b.bytes.toLocaleString('en')} | ${b.gzipBytes.toLocaleString('en')} | ${fmt(b.bytesRatio, 2)} | ${fmt(b.initMs.p50)} (${fmt(b.initMs.min)}–${fmt(b.initMs.max)}) | ${fmt(b.initRatio, 2)}${target} | ${fmt(b.initMinRatio, 2)} | ${b.stackFloorRatio === undefined ? '' : fmt(b.stackFloorRatio, 2)} |`,
    );
  }
  lines.push(
    '',
    "Baseline: a bundle holding only the DynamoDB document client, the floor of any function that talks to DynamoDB. The zod floor adds zod and the submission schema: what a function that validates with zod cannot go below. An HTTP-stack floor is the shared HTTP function (middy, router, Powertools logger and metrics, auth, problem responses) with one API's route schemas and no domain code: the last column is what that API's own code adds (docs/benchmarks.md).",
  );
  progress('handler CPU');
  const cpu = await benchHandlerCpu({ onCase: (name) => progress(`handler CPU: ${name}`) });
  lines.push('', '### Handler CPU per invocation (DynamoDB answered at the HTTP layer)', '');
  lines.push(
    '| case | invocations | µs CPU / invocation | DynamoDB calls / invocation | × bare | × its floor (target) | × its floor + SDK |',
    '|---|---:|---:|---|---:|---|---:|',
  );
  for (const c of cpu.results) {
    const floor = c.floor
      ? `${fmt(c.floor.ratio, 2)} (≤ ${c.floor.target}) ${c.floor.ratio <= c.floor.target ? '✓' : '**over**'}`
      : '—';
    const calls =
      Object.entries(c.dynamoCalls)
        .filter(([, n]) => n >= 0.005)
        .map(([op, n]) => `${op} ${fmt(n, 2)}`)
        .join(', ') || '—';
    lines.push(
      `| ${c.name} | ${c.invocations} | ${fmt(c.cpuMicrosPerInvocation)} | ${calls} | ${fmt(c.ratioToBare, 1)} | ${floor} | ${c.sdkFloor ? fmt(c.sdkFloor.ratio, 2) : '—'} |`,
    );
  }
  lines.push(
    '',
    `Harness: ${cpu.harness}.`,
    'Bare: a handler that only parses the JSON body and builds the PutCommand. The submission is compared with a floor',
    'that also validates the body with the same zod schema (the target), and with that floor plus the DynamoDB calls a',
    'submission makes; the report with a floor that unmarshalls the same aggregate items and serialises a body of equal',
    "size (the target), and with that floor reading the items through the report's own DynamoDB calls.",
  );
  lines.push('', '### Widget size (loader on every page ≤ 3 KB gzipped; survey UI ≤ 9 KB, Preact included)', '');
  const widgetRows = await widgetSizes();
  lines.push(...widgetSizeTable(widgetRows));
  if (widgetRows.some((w) => !w.withinBudget)) process.exitCode = 1;
  const sizes = await consoleSizes();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  lines.push('', '### Console size (gzipped JavaScript; budget: first load ≤ 80 KB, charts lazy)', '');
  lines.push('| what | files | gzip | within budget |', '|---|---:|---:|---|');
  lines.push(
    `| first load (entry + shared chunks) | ${sizes.firstLoad.files.length} | ${kb(sizes.firstLoad.gzip)} | ${sizes.firstLoad.gzip <= sizes.budget ? 'yes' : '**NO**'} |`,
  );
  if (sizes.firstLoad.gzip > sizes.budget) process.exitCode = 1;
  for (const [name, chunk] of Object.entries(sizes.lazy).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      `| + ${name === 'plots' ? 'charts (Observable Plot), on the first chart' : `page ${name}`} | ${chunk.files.length} | ${kb(chunk.gzip)} | — |`,
    );
  }
  const report = lines.join('\n');
  console.log(report);
  if (process.argv.includes('--write')) {
    const file = new URL('../docs/benchmarks.md', import.meta.url);
    const doc = readFileSync(file, 'utf8');
    const begin = '<!-- bench:begin -->';
    const end = '<!-- bench:end -->';
    const next = `${doc.slice(0, doc.indexOf(begin) + begin.length)}\n${report}\n${doc.slice(doc.indexOf(end))}`;
    writeFileSync(file, next);
    console.log(`\nwrote ${file.pathname}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
