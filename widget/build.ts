/**
 * Builds the widget into widget/dist/ in two halves and two small chunks (docs/design.md §8):
 *   rapport.js              the loader, IIFE for <script src> (short cache: always the newest)
 *   rapport.<hash>.js       the same bytes under a content-hashed name (cached for a year)
 *   rapport-ui.<hash>.js    the survey UI (Preact, questions, branching), loaded by the loader only
 *                           when someone is asked; content-hashed, cached for a year
 *   rapport-ui.js           the same bytes, short cache (the console's preview loads it directly)
 *   rapport-triggers.<hash>.js  the rarer triggers (page views, time on page, scroll depth, exit
 *                           intent), loaded by the loader only for a survey that uses one; a year
 *   rapport-debug.<hash>.js the words of the debug output, loaded only in debug mode; a year
 *   rapport.esm.js          the loader as an ES module (`import { Rapport } from '…/rapport.esm.js'`)
 *   manifest.json           { "rapport.js": "rapport.<hash>.js", "rapport-ui.js": …, "rapport-triggers.js": …,
 *                           "rapport-debug.js": …, sizes, inputs }
 * `npm run build:widget` runs it; tests import `buildWidget`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Plugin, transform } from 'esbuild';
import { minify } from 'terser';
import { type ChunkName, isHashedFile, hashedName as nameOf } from './chunks';

export const WIDGET_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = path.join(WIDGET_DIR, 'dist');
/** docs/design.md §8: what every page view pays for (the loader), gzipped. */
export const LOADER_BUDGET_GZIP = 3 * 1024;
/** What a visitor who is asked pays on top (the survey UI, Preact included), gzipped. */
export const UI_BUDGET_GZIP = 9 * 1024;

export interface WidgetBuild {
  readonly outdir: string;
  /** The loader's content-hashed name. */
  readonly hashedName: string;
  readonly uiName: string;
  /** The hashed names of the chunks the loader fetches only when a page needs them. */
  readonly triggersName: string;
  readonly debugName: string;
  /** Bytes, raw and gzipped (level 9), per file: the loader (IIFE, ESM), the survey UI and the two chunks. */
  readonly sizes: Record<'iife' | 'esm' | 'ui' | 'triggers' | 'debug', { raw: number; gzip: number }>;
}

/** `import css from './x.css?inline'` → the file's text, minified by esbuild's CSS minifier. */
const inlineCss: Plugin = {
  name: 'inline-css',
  setup(b) {
    b.onResolve({ filter: /\.css\?inline$/ }, (args) => ({
      path: path.join(args.resolveDir, args.path.replace(/\?inline$/, '')),
      namespace: 'inline-css',
    }));
    b.onLoad({ filter: /.*/, namespace: 'inline-css' }, async (args) => {
      const { code } = await transform(await readFile(args.path, 'utf8'), {
        loader: 'css',
        minify: true,
        target: ['chrome105', 'firefox110', 'safari16'],
      });
      // esbuild keeps custom properties' values verbatim, spaces that CSS does not need and the quotes
      // of an attribute selector inside `:host(…)`: drop them.
      const tight = code
        .trim()
        .replace(/([,:]) /g, '$1')
        .replace(/ \/ /g, '/')
        .replace(/="([a-z]+)"\]/g, '=$1]');
      return { contents: `export default ${JSON.stringify(tight)};`, loader: 'js' };
    });
  },
};

const common: BuildOptions = {
  plugins: [inlineCss],
  bundle: true,
  minify: true,
  write: false,
  target: ['chrome105', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  alias: { 'preact/jsx-runtime': path.join(WIDGET_DIR, 'src/jsx-runtime.ts') },
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"production"' },
  /** Members named `_x` are internal to the widget: shortened (Preact's own `__x` are left alone). */
  mangleProps: /^_[a-zA-Z]/,
};

/** The one output file's text (builds here have exactly one entry point and `write: false`). */
const textOf = (result: { outputFiles?: { text: string }[] }) => result.outputFiles?.[0]?.text ?? '';

const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

const hashOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

export async function buildWidget(outdir = DIST_DIR): Promise<WidgetBuild> {
  // esbuild bundles and minifies; terser's second look saves another ~2 % of the budget. The loader and
  // its chunks (our own code only: no function is called with `new` or reads `this`, no getter has side
  // effects, built-ins are not patched, no BigInt, so `Number(x)` is `+x`) take bolder options too, worth
  // another ~1 % of its budget. Preact's code in the UI is left to the safe ones.
  const squeeze = async (text: string, module: boolean, bold = false) => {
    const compress = bold
      ? { passes: 3, unsafe: true, unsafe_arrows: true, unsafe_math: true, pure_getters: true, hoist_funs: true }
      : { passes: 2 };
    const { code } = await minify(text, { ecma: 2020, module, toplevel: bold, compress, mangle: true });
    return Buffer.from(code ?? '', 'utf8');
  };
  const entry = (name: string) => [path.join(WIDGET_DIR, 'src', name)];
  const ui = await build({ ...common, entryPoints: entry('ui-entry.ts'), format: 'iife', metafile: true });
  const uiBytes = await squeeze(textOf(ui), false);
  const uiName = nameOf('rapport-ui', hashOf(uiBytes));
  const lazy = async (file: string, chunk: ChunkName) => {
    const out = await build({ ...common, entryPoints: entry(file), format: 'iife' });
    const bytes = await squeeze(textOf(out), false, true);
    return { bytes, name: nameOf(chunk, hashOf(bytes)) };
  };
  const [triggers, debug] = await Promise.all([
    lazy('triggers.ts', 'rapport-triggers'),
    lazy('debug.ts', 'rapport-debug'),
  ]);
  // The loader names each hashed file it loads: a new chunk is a new loader, and all are cacheable.
  const define = {
    ...common.define,
    __UI__: JSON.stringify(uiName),
    __TRIGGERS__: JSON.stringify(triggers.name),
    __DEBUG__: JSON.stringify(debug.name),
  };
  const [iife, esm] = await Promise.all([
    build({ ...common, entryPoints: entry('loader.ts'), define, format: 'iife', metafile: true }),
    build({ ...common, entryPoints: entry('loader.ts'), define, format: 'esm' }),
  ]);
  const iifeBytes = await squeeze(textOf(iife), false, true);
  const esmBytes = await squeeze(textOf(esm), true, true);
  const hashedName = nameOf('rapport', hashOf(iifeBytes));
  mkdirSync(outdir, { recursive: true });
  for (const old of readdirSync(outdir)) if (isHashedFile(old)) rmSync(path.join(outdir, old));
  writeFileSync(path.join(outdir, 'rapport.js'), iifeBytes);
  writeFileSync(path.join(outdir, hashedName), iifeBytes);
  writeFileSync(path.join(outdir, 'rapport-ui.js'), uiBytes);
  writeFileSync(path.join(outdir, uiName), uiBytes);
  writeFileSync(path.join(outdir, 'rapport.esm.js'), esmBytes);
  for (const { name, bytes } of [triggers, debug]) writeFileSync(path.join(outdir, name), bytes);
  const sizes = {
    iife: { raw: iifeBytes.length, gzip: gz(iifeBytes) },
    esm: { raw: esmBytes.length, gzip: gz(esmBytes) },
    ui: { raw: uiBytes.length, gzip: gz(uiBytes) },
    triggers: { raw: triggers.bytes.length, gzip: gz(triggers.bytes) },
    debug: { raw: debug.bytes.length, gzip: gz(debug.bytes) },
  };
  const names = {
    'rapport.js': hashedName,
    'rapport-ui.js': uiName,
    'rapport-triggers.js': triggers.name,
    'rapport-debug.js': debug.name,
  };
  // Which source files each half bundles (the budget test checks that no zod reaches the browser).
  const inputs = { loader: Object.keys(iife.metafile.inputs), ui: Object.keys(ui.metafile.inputs) };
  writeFileSync(path.join(outdir, 'manifest.json'), `${JSON.stringify({ ...names, sizes, inputs }, null, 2)}\n`);
  return { outdir, hashedName, uiName, triggersName: triggers.name, debugName: debug.name, sizes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await buildWidget();
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  const { iife, esm, ui } = result.sizes;
  console.log(
    `widget: loader rapport.js ${kb(iife.gzip)} gzip (budget ${kb(LOADER_BUDGET_GZIP)}), ${result.hashedName}, rapport.esm.js ${kb(esm.gzip)}; survey UI ${result.uiName} ${kb(ui.gzip)} gzip (budget ${kb(UI_BUDGET_GZIP)})`,
  );
  if (iife.gzip > LOADER_BUDGET_GZIP || ui.gzip > UI_BUDGET_GZIP) {
    console.error('widget: over the size budget');
    process.exitCode = 1;
  }
}
