/**
 * Widget size for `npm run bench` (or alone: `npx tsx bench/widget-size.ts`, which prints the table):
 * builds the widget into a temp dir and reports raw, gzipped and brotli bytes of what a page pays —
 * the loader (every page view), the survey definition it reads for each survey on the page, the
 * survey UI (only when someone is asked) and the lazy chunks (only for a survey with a rarer trigger,
 * or in debug mode) — against their budgets (docs/design.md §8).
 *
 * "Whole page, nobody asked" is what a page pays where the loader decides not to ask: the loader and
 * one survey's definition as `GET /v1/surveys/{id}/widget` serves it (uncompressed: the API's answers
 * are; its gzip and brotli sizes show what compressing them would save). The definition is the demo
 * survey (every question type, English and Chinese, three segments) with the targeting a real
 * deployment would add (URL rules, an event, an audience rule), produced by the API's own code.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Survey, VersionedQuestion } from '../functions/domain/surveys/survey';
import { surveyCreateSchema, surveyUpdateSchema } from '../functions/domain/surveys/survey-schema';
import { SurveyService } from '../functions/domain/surveys/survey-service';
import type { SurveyStore } from '../functions/domain/surveys/survey-store';
import { demoSurvey } from '../local/demo-data';
import { buildWidget, LOADER_BUDGET_GZIP, UI_BUDGET_GZIP } from '../widget/build';

export interface WidgetSizeRow {
  readonly file: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly brotliBytes: number;
  /** Gzipped; undefined where there is no budget (the definition, the lazy chunks). */
  readonly budgetBytes?: number;
  readonly withinBudget: boolean;
}

interface Size {
  raw: number;
  gzip: number;
  br: number;
}

/** Gzip level 9 as the build measures it; brotli at its best, as the CDN and `npm start` serve it. */
function sizeOf(bytes: Uint8Array): Size {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    br: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }).length,
  };
}

const sum = (...sizes: Size[]): Size => ({
  raw: sizes.reduce((n, s) => n + s.raw, 0),
  gzip: sizes.reduce((n, s) => n + s.gzip, 0),
  br: sizes.reduce((n, s) => n + s.br, 0),
});

/**
 * The JSON body `GET /v1/surveys/{id}/widget` answers for the representative survey: created and
 * published through SurveyService (its defaults, its versioning) and viewed as the widget route views it.
 */
export async function representativeSurveyJson(): Promise<string> {
  const surveys = new Map<string, Survey>();
  const store: SurveyStore = {
    create: async (s) => void surveys.set(s.id, s),
    get: async (id) => surveys.get(id),
    getVersion: async (id): Promise<VersionedQuestion[] | undefined> => surveys.get(id)?.questions,
    update: async (_previous, next) => void surveys.set(next.id, next),
    list: async () => ({ items: [...surveys.values()] }),
  };
  const service = new SurveyService({
    store,
    site: {
      get: async () => undefined,
      put: async () => {
        throw new Error('not used');
      },
    },
    clock: { now: () => new Date('2026-11-30T09:00:00Z') },
    ids: { next: () => '01KB0000000000000000000000' },
  });
  const definition = {
    ...demoSurvey(['https://shop.example.com']),
    targeting: {
      triggers: {
        urls: {
          include: [{ match: 'prefix', value: '/checkout/done' }],
          exclude: [{ match: 'contains', value: 'test' }],
        },
        events: ['checkout_completed'],
      },
      audience: { attributes: [{ attribute: 'plan', op: 'in', value: ['pro', 'team'] }] },
      displayLimit: 2,
    },
  };
  const created = await service.create(surveyCreateSchema.parse(definition));
  await service.update(created.id, surveyUpdateSchema.parse({ ...definition, status: 'active' }));
  // The route answers the view as JSON, without indentation.
  return JSON.stringify(await service.widgetView(created.id));
}

export async function widgetSizes(): Promise<WidgetSizeRow[]> {
  const out = mkdtempSync(path.join(tmpdir(), 'rapport-widget-bench-'));
  try {
    const { sizes: built } = await buildWidget(out);
    // Measured from the files the build wrote (the build reports no brotli size).
    const file = (prefix: string) => {
      const name = readdirSync(out).find((f) => f.startsWith(prefix) && /\.[0-9a-f]{12}\.js$/.test(f));
      if (!name) throw new Error(`the build wrote no ${prefix}.<hash>.js`);
      return readFileSync(path.join(out, name));
    };
    const loader = sizeOf(readFileSync(path.join(out, 'rapport.js')));
    const esm = sizeOf(readFileSync(path.join(out, 'rapport.esm.js')));
    const ui = sizeOf(file('rapport-ui.'));
    const triggers = sizeOf(file('rapport-triggers.'));
    const debug = sizeOf(file('rapport-debug.'));
    // The build's own gzip figures and these must agree: one measure for the budget test and the bench.
    if (loader.gzip !== built.iife.gzip || ui.gzip !== built.ui.gzip) {
      throw new Error('bench and build measure gzip differently');
    }
    const definition = sizeOf(Buffer.from(await representativeSurveyJson()));
    const asServed: Size = { raw: definition.raw, gzip: definition.raw, br: definition.raw };
    const row = (name: string, size: Size, budget?: number): WidgetSizeRow => ({
      file: name,
      rawBytes: size.raw,
      gzipBytes: size.gzip,
      brotliBytes: size.br,
      ...(budget !== undefined ? { budgetBytes: budget } : {}),
      withinBudget: budget === undefined || size.gzip <= budget,
    });
    return [
      row('rapport.js (loader, IIFE)', loader, LOADER_BUDGET_GZIP),
      row('rapport.esm.js (loader, ES module)', esm, LOADER_BUDGET_GZIP),
      row('survey definition (GET /v1/surveys/{id}/widget; served uncompressed)', definition),
      row('rapport-ui.<hash>.js (survey UI, Preact included)', ui, UI_BUDGET_GZIP),
      row('rapport-triggers.<hash>.js (lazy: time, scroll, exit intent, n-th view)', triggers),
      row('rapport-debug.<hash>.js (lazy: Rapport.debug only)', debug),
      // Nobody asked: the loader and the definition it reads (the UI is never requested). Each file
      // travels on its own: the sums are what the page downloads. The API's answers are not
      // compressed (the front door's `/v1/*` behaviour, like API Gateway, passes them as they are),
      // so the definition counts with its raw bytes in every column.
      row('whole page, nobody asked (loader + definition as served)', sum(loader, asServed)),
      row('whole page, someone asked (+ survey UI)', sum(loader, asServed, ui)),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The rows as docs/benchmarks.md shows them. */
export function widgetSizeTable(rows: readonly WidgetSizeRow[]): string[] {
  const n = (x: number) => x.toLocaleString('en');
  return [
    '| file | bytes | gzip | brotli | gzip budget | within budget |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (w) =>
        `| ${w.file} | ${n(w.rawBytes)} | ${n(w.gzipBytes)} | ${n(w.brotliBytes)} | ${w.budgetBytes !== undefined ? n(w.budgetBytes) : '—'} | ${w.budgetBytes === undefined ? '—' : w.withinBudget ? 'yes' : '**NO**'} |`,
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await widgetSizes();
  process.stdout.write(`${widgetSizeTable(rows).join('\n')}\n`);
  if (rows.some((r) => !r.withinBudget)) process.exitCode = 1;
}
