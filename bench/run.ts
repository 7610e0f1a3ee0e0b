/**
 * `npm run bench`: runs every benchmark against an in-memory local runtime and prints the numbers.
 * `npm run bench -- --write` also rewrites the results section of docs/benchmarks.md.
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { startRuntime } from '../local/runtime';
import { benchCustomers } from './customers';
import { fmt } from './stats';

async function main() {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const runtime = await startRuntime({ port: 0, dataDir: null, seed: false, quiet: true, env: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
  const lines: string[] = [];
  try {
    lines.push(`Machine: ${machine}`, `Date: ${new Date().toISOString()}`, '');
    lines.push('| case | n | p50 ms | p90 ms | p99 ms | max ms | per second |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const r of await benchCustomers(runtime)) {
      const s = r.summary;
      lines.push(`| ${r.name} | ${s.count} | ${fmt(s.p50)} | ${fmt(s.p90)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${fmt(s.perSecond)} |`);
    }
  } finally {
    await runtime.stop();
  }
  const report = lines.join('\n');
  console.log(report);
  if (process.argv.includes('--write')) {
    const file = new URL('../docs/benchmarks.md', import.meta.url);
    const doc = readFileSync(file, 'utf8');
    const begin = '<!-- bench:begin -->';
    const end = '<!-- bench:end -->';
    const next = doc.slice(0, doc.indexOf(begin) + begin.length) + '\n' + report + '\n' + doc.slice(doc.indexOf(end));
    writeFileSync(file, next);
    console.log(`\nwrote ${file.pathname}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
