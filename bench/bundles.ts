/**
 * Bundle size and module-init time of every Lambda entry, built with the esbuild options the CDK
 * constructs deploy (infra/lambda-bundle.ts, shared, not copied): ESM, minified, source map beside the
 * bundle (not counted), platform node, the createRequire banner, AWS SDK bundled, no externals. Compared with a baseline bundle that only creates a DynamoDB document client
 * (bench/fixtures/baseline-dynamodb.ts): the floor of any function that talks to DynamoDB. Each API
 * is also compared with its HTTP-stack floor (bench/fixtures/floor-http-stack.ts): the same shared
 * HTTP function and route schemas with no domain code, so the two ratios split what zod, the schemas
 * and the shared stack cost from what the API's own code adds.
 *
 * Module init is `await import()` of the bundle in a fresh Node process each time, with Lambda-like
 * environment (dummy credentials, Powertools silenced), `--enable-source-maps` as the functions run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../infra/lambda-bundle';
import { percentile } from './stats';

export interface InitTiming {
  p50: number;
  min: number;
  max: number;
}

export interface BundleResult {
  name: string;
  /** Bytes of the .mjs bundle (the source map is not counted). */
  bytes: number;
  /** Its size after gzip -9. */
  gzipBytes: number;
  /** Module-init time in ms: `await import()` in a fresh process, over `runs` processes. */
  initMs: InitTiming;
  /** bytes / baseline bytes (1 for the baseline itself). */
  bytesRatio: number;
  /** initMs.p50 / baseline initMs.p50. */
  initRatio: number;
  /** initMs.min / baseline initMs.min: the least disturbed run of each, steadier on a busy machine. */
  initMinRatio: number;
  /** The target for initRatio, when the bundle has one. */
  initTarget?: number;
  /** initMs.p50 / the p50 of this API's HTTP-stack floor (same stack and schemas, no domain code). */
  stackFloorRatio?: number;
  /** esbuild target used: node22 as deployed, node20 only if this Node could not load the node22 output. */
  target: string;
}

export interface BundleBenchOptions {
  /** Fresh processes per bundle (default 15: other work on the machine moves single runs a lot). */
  runs?: number;
  /** Run with `--enable-source-maps`, as the functions' NODE_OPTIONS do in AWS (default true). */
  enableSourceMaps?: boolean;
}

const root = fileURLToPath(new URL('..', import.meta.url));

export const BASELINE_NAME = 'baseline (DynamoDB document client only)';
export const ZOD_FLOOR_NAME = 'floor: baseline + zod + the submission schema';
const PUBLIC_STACK = 'floor: HTTP stack + the public routes’ schemas';
const ADMIN_STACK = 'floor: HTTP stack + the admin routes’ schemas';

const ENTRIES: readonly { name: string; entry: string; initTarget?: number; stackFloor?: string }[] = [
  { name: 'public-api', entry: 'functions/handlers/public-api.ts', initTarget: 1.3, stackFloor: PUBLIC_STACK },
  { name: 'admin-api', entry: 'functions/handlers/admin-api.ts', initTarget: 1.5, stackFloor: ADMIN_STACK },
  { name: 'aggregator', entry: 'functions/handlers/aggregator.ts' },
  { name: 'probe', entry: 'functions/handlers/probe.ts' },
  { name: PUBLIC_STACK, entry: 'bench/fixtures/floor-http-stack-public.ts' },
  { name: ADMIN_STACK, entry: 'bench/fixtures/floor-http-stack-admin.ts' },
  {
    name: 'floor: HTTP stack + one admin route’s schemas (the report)',
    entry: 'bench/fixtures/floor-http-stack-admin-one-route.ts',
  },
  { name: ZOD_FLOOR_NAME, entry: 'bench/fixtures/baseline-dynamodb-zod.ts' },
  { name: BASELINE_NAME, entry: 'bench/fixtures/baseline-dynamodb.ts' },
];

/** What the child process sees: no inherited AWS or Node settings, only what a Lambda would set. */
const INIT_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  TABLE_NAME: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHDUMMY',
  AWS_SECRET_ACCESS_KEY: 'bench-dummy-secret',
  AWS_SESSION_TOKEN: 'bench-dummy-token',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  // Node 20 here, Node 22 on Lambda: the SDK's "upgrade to 22" warning would not fire there.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Prints the ms spent in `await import(url)` as JSON; evaluated by `node --input-type=module -e`. */
const RUNNER = [
  'const url = process.env.BENCH_BUNDLE_URL;',
  'const t0 = performance.now();',
  'await import(url);',
  'const ms = performance.now() - t0;',
  'process.stdout.write(JSON.stringify({ ms }));',
].join('\n');

async function bundle(entry: string, outfile: string, target: string): Promise<void> {
  await build({ ...esbuildOptionsFor(join(root, entry), outfile, target), absWorkingDir: root, logLevel: 'silent' });
}

/** One fresh process importing the bundle; resolves to the import time in ms. */
function importOnce(file: string, sourceMaps: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const flags = sourceMaps ? ['--enable-source-maps'] : [];
    const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', RUNNER], {
      env: { ...INIT_ENV, BENCH_BUNDLE_URL: pathToFileURL(file).href },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        const { ms } = JSON.parse(out) as { ms: number };
        if (!Number.isFinite(ms)) throw new Error('no timing');
        resolve(ms);
      } catch (e) {
        reject(new Error(`importing ${file} failed (${(e as Error).message}): ${err.trim().slice(0, 800)}`));
      }
    });
  });
}

export async function benchBundles(options: BundleBenchOptions = {}): Promise<BundleResult[]> {
  const runs = options.runs ?? 15;
  const sourceMaps = options.enableSourceMaps ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bundles-'));
  try {
    const built: {
      name: string;
      initTarget?: number;
      stackFloor?: string;
      file: string;
      target: string;
      bytes: number;
      gzipBytes: number;
      times: number[];
    }[] = [];
    for (const [i, { name, entry, initTarget, stackFloor }] of ENTRIES.entries()) {
      const file = join(dir, String(i), 'index.mjs');
      let target = 'node22';
      await bundle(entry, file, target);
      try {
        await importOnce(file, sourceMaps); // also the untimed warm-up (file cache) and the proof that it loads
      } catch (err) {
        if (!/SyntaxError/.test((err as Error).message)) throw err;
        target = 'node20';
        await bundle(entry, file, target);
        await importOnce(file, sourceMaps);
      }
      const code = readFileSync(file);
      const gzipBytes = gzipSync(code, { level: 9 }).length;
      built.push({ name, initTarget, stackFloor, file, target, bytes: code.length, gzipBytes, times: [] });
    }
    // Round-robin, so drift of the machine over the run touches every bundle alike.
    for (let run = 0; run < runs; run++) {
      for (const b of built) b.times.push(await importOnce(b.file, sourceMaps));
    }
    const summarised = built.map((b) => {
      const sorted = [...b.times].sort((x, y) => x - y);
      return { ...b, initMs: { p50: percentile(sorted, 50), min: sorted[0]!, max: sorted[sorted.length - 1]! } };
    });
    const baseline = summarised.find((b) => b.name === BASELINE_NAME)!;
    const p50Of = (name: string) => summarised.find((b) => b.name === name)!.initMs.p50;
    return summarised.map((b) => ({
      name: b.name,
      bytes: b.bytes,
      gzipBytes: b.gzipBytes,
      initMs: b.initMs,
      bytesRatio: b.bytes / baseline.bytes,
      initRatio: b.initMs.p50 / baseline.initMs.p50,
      initMinRatio: b.initMs.min / baseline.initMs.min,
      ...(b.initTarget === undefined ? {} : { initTarget: b.initTarget }),
      ...(b.stackFloor === undefined ? {} : { stackFloorRatio: b.initMs.p50 / p50Of(b.stackFloor) }),
      target: b.target,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
