/**
 * The layers point one way (docs/design.md §3; every rule in docs/architecture.md, "Where things live"):
 *
 *   functions/domain ← ports ← contracts ← observability ← adapters | http ← handlers ← infra | local
 *
 * Every import of every `.ts`/`.tsx` file is an arrow. An arrow that points up, an AWS package in a
 * pure layer, shipped code (functions, widget, console) reaching into infra, local, tests or
 * benchmarks, or a cycle among the functions fails this test, printed as
 * `file:line → specifier (resolved path): the rule it breaks`.
 */
import { describe, expect, it } from 'vitest';
import { cyclesOf, describeEdge, type Edge, importGraph, sourceFiles } from './import-graph';

const layers = ['domain', 'ports', 'contracts', 'observability', 'adapters', 'http', 'handlers'] as const;
type Layer = (typeof layers)[number];

/** Files directly under functions/ and the layer they belong to. */
const topLevelFiles: Readonly<Record<string, Layer>> = {
  // Reads the handlers' environment at start-up; only handlers may depend on it.
  'functions/config.ts': 'handlers',
};

/** What each layer may import (besides packages; see forbiddenPackages). */
const mayImport: Readonly<Record<Layer, readonly Layer[]>> = {
  // Pure TypeScript: the rules of the business, nothing about where they run.
  domain: ['domain'],
  // Interfaces the domain's callers implement.
  ports: ['domain', 'ports'],
  // Pure data every side reads (route table, table schema, metric names, data-access contract).
  contracts: ['domain', 'ports', 'contracts'],
  // Logger and metrics: used by adapters, http and handlers, so it may use none of them.
  observability: ['domain', 'ports', 'contracts', 'observability'],
  // adapters and http sit side by side: neither imports the other.
  adapters: ['domain', 'ports', 'contracts', 'observability', 'adapters'],
  http: ['domain', 'ports', 'contracts', 'observability', 'http'],
  // The composition root of each Lambda: wires everything below it.
  handlers: layers,
};

/**
 * Arrows that break the layer rule on purpose, each with its reason. An exception names one file and
 * one target, never a folder, so a new import of the same kind still fails.
 */
const exceptions: readonly { readonly from: string; readonly to: string; readonly why: string }[] = [
  {
    from: 'functions/contracts/data-access.ts',
    to: 'functions/adapters/dynamodb/keys.ts',
    why:
      'The data-access contract states which partition keys each function may touch, as IAM StringLike ' +
      'patterns derived from the key builders themselves: copying the key shapes into contracts would ' +
      'make a second source of truth that drifts from the keys the adapters really write. keys.ts is ' +
      'pure (node:crypto and domain types only), so the contract stays free of AWS imports.',
  },
  {
    from: 'functions/contracts/stream-filters.ts',
    to: 'functions/adapters/dynamodb/keys.ts',
    why:
      'The stream event-source filters match records by key (customer profiles), built from the key ' +
      'builders themselves for the same reason as the data-access contract: no second copy of a key shape.',
  },
];

/** Packages that tie code to AWS, Lambda or the CDK: never in the pure layers. */
const forbiddenPackages =
  /^(@aws-sdk|@smithy|@aws-lambda-powertools|@middy|aws-lambda|aws-cdk-lib|aws-cdk|constructs|cdk-nag)(\/|$)/;
const pureLayers: readonly Layer[] = ['domain', 'ports', 'contracts'];

/** Code that ships (to Lambda or to browsers) and must never reach into these. */
const shippedRoots = ['functions/', 'widget/', 'console/'];
const neverFromShipped = ['infra/', 'local/', 'test/', 'bench/'];
/** The CDK app and the local runtime are not tests either. */
const neverFromRuntime: Readonly<Record<string, readonly string[]>> = {
  'infra/': ['test/', 'bench/'],
  'local/': ['test/', 'bench/'],
};

function layerOf(file: string): Layer | 'unknown' | undefined {
  if (!file.startsWith('functions/')) return undefined;
  const top = topLevelFiles[file];
  if (top) return top;
  const folder = file.split('/')[1];
  return (layers as readonly string[]).includes(folder ?? '') ? (folder as Layer) : 'unknown';
}

/** Every arrow that breaks a rule, described and with the rule it breaks. */
function violationsOf(edges: readonly Edge[]): string[] {
  const found: string[] = [];
  const homeless = new Set<string>();
  for (const e of edges) {
    const arrow = describeEdge(e);
    const from = layerOf(e.from);
    if (from === 'unknown' && !homeless.has(e.from)) {
      homeless.add(e.from);
      found.push(`${e.from}: in no layer (give its folder or file a layer in this test)`);
    }
    if (e.specifier.startsWith('.') && e.to === undefined) {
      found.push(`${arrow}: does not resolve to a file`);
      continue;
    }
    if (e.to === undefined) {
      if (from && from !== 'unknown' && pureLayers.includes(from) && forbiddenPackages.test(e.specifier)) {
        found.push(`${arrow}: ${from} is pure TypeScript, no AWS, Lambda or CDK packages`);
      }
      continue;
    }
    const to = e.to;
    if (shippedRoots.some((r) => e.from.startsWith(r)) && neverFromShipped.some((r) => to.startsWith(r))) {
      found.push(`${arrow}: shipped code never imports ${neverFromShipped.join(', ')}`);
    }
    for (const [runtime, never] of Object.entries(neverFromRuntime)) {
      if (e.from.startsWith(runtime) && never.some((r) => to.startsWith(r))) {
        found.push(`${arrow}: ${runtime} never imports ${never.join(', ')}`);
      }
    }
    const toLayer = layerOf(to);
    if (!from || from === 'unknown' || !toLayer || toLayer === 'unknown') continue;
    if (mayImport[from].includes(toLayer)) continue;
    if (exceptions.some((x) => x.from === e.from && x.to === to)) continue;
    found.push(`${arrow}: ${from} may import only ${mayImport[from].join(', ')}, not ${toLayer}`);
  }
  return found;
}

const edge = (from: string, specifier: string, to?: string): Edge => ({ from, specifier, to, line: 1 });

describe('the layers point one way', () => {
  const edges = importGraph(sourceFiles());

  it('reads the imports of every layer (else the rules below would pass on nothing)', () => {
    for (const layer of layers) {
      expect(
        edges.some((e) => layerOf(e.from) === layer),
        layer,
      ).toBe(true);
    }
    expect(edges.some((e) => e.from.startsWith('widget/') && e.to?.startsWith('functions/'))).toBe(true);
  });

  it('no arrow points up, and shipped code never reaches into infra, local, tests or benchmarks', () => {
    expect(violationsOf(edges)).toEqual([]);
  });

  it('no import cycles among the functions', () => {
    expect(cyclesOf(edges, 'functions/')).toEqual([]);
  });

  it('the key builders contracts may import stay pure: domain and node built-ins only', () => {
    const keyImports = edges.filter((e) => e.from === 'functions/adapters/dynamodb/keys.ts');
    expect(keyImports.length).toBeGreaterThan(0);
    const impure = keyImports.filter(
      (e) => !(e.to?.startsWith('functions/domain/') || e.specifier.startsWith('node:')),
    );
    expect(impure.map(describeEdge)).toEqual([]);
  });

  it('every exception is still needed (an import that went away takes its exception with it)', () => {
    const unused = exceptions.filter((x) => !edges.some((e) => e.from === x.from && e.to === x.to));
    expect(unused).toEqual([]);
  });

  it('can fail: reports arrows that point up, AWS in the domain, shipped code importing tests, and cycles', () => {
    const bad = [
      edge('functions/domain/errors.ts', '../adapters/clock', 'functions/adapters/clock.ts'),
      edge('functions/domain/errors.ts', '@aws-sdk/client-dynamodb'),
      edge('functions/ports/request-scope.ts', '../http/request', 'functions/http/request.ts'),
      edge('functions/contracts/routes.ts', '../adapters/dynamodb/keys', 'functions/adapters/dynamodb/keys.ts'),
      edge('functions/http/audit.ts', '../adapters/clock', 'functions/adapters/clock.ts'),
      edge('functions/adapters/clock.ts', '../handlers/probe', 'functions/handlers/probe.ts'),
      edge('functions/observability/logger.ts', '../http/request', 'functions/http/request.ts'),
      edge('functions/handlers/probe.ts', '../../infra/config', 'infra/config.ts'),
      edge('widget/src/element.tsx', '../../test/support/x', 'test/support/x.ts'),
      edge('functions/newfolder/x.ts', '../domain/errors', 'functions/domain/errors.ts'),
      edge('functions/domain/errors.ts', './gone'),
    ];
    expect(violationsOf(bad)).toHaveLength(bad.length);
    // The one exception covers exactly its file and target.
    expect(
      violationsOf([
        edge('functions/contracts/data-access.ts', '../adapters/dynamodb/keys', 'functions/adapters/dynamodb/keys.ts'),
      ]),
    ).toEqual([]);
    expect(
      cyclesOf(
        [
          edge('functions/domain/a.ts', './b', 'functions/domain/b.ts'),
          edge('functions/domain/b.ts', './c', 'functions/domain/c.ts'),
          edge('functions/domain/c.ts', './a', 'functions/domain/a.ts'),
          edge('functions/domain/c.ts', './d', 'functions/domain/d.ts'),
        ],
        'functions/',
      ),
    ).toEqual(['functions/domain/a.ts → functions/domain/b.ts → functions/domain/c.ts → functions/domain/a.ts']);
  });
});
