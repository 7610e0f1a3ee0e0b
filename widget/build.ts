/**
 * Builds the widget into widget/dist/:
 *   rapport.js           IIFE for <script src> (short cache: always the newest)
 *   rapport.<hash>.js    the same bytes under a content-hashed name (cached for a year)
 *   rapport.esm.js       ES module (`import { Rapport } from '…/rapport.esm.js'`)
 *   manifest.json        { "rapport.js": "rapport.<hash>.js", sizes }
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

export const WIDGET_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = path.join(WIDGET_DIR, 'dist');
/** docs/design.md §8: the whole widget, Preact included, gzipped. */
export const SIZE_BUDGET_GZIP = 10 * 1024;

export interface WidgetBuild {
  readonly outdir: string;
  readonly hashedName: string;
  /** Bytes, raw and gzipped (level 9), per file. */
  readonly sizes: Record<'iife' | 'esm', { raw: number; gzip: number }>;
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
      // esbuild keeps custom properties' values verbatim and spaces that CSS does not need: drop them.
      const tight = code
        .trim()
        .replace(/([,:]) /g, '$1')
        .replace(/ \/ /g, '/');
      return { contents: `export default ${JSON.stringify(tight)};`, loader: 'js' };
    });
  },
};

const common: BuildOptions = {
  plugins: [inlineCss],
  entryPoints: [path.join(WIDGET_DIR, 'src/index.ts')],
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

const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

export async function buildWidget(outdir = DIST_DIR): Promise<WidgetBuild> {
  const [iife, esm] = await Promise.all([build({ ...common, format: 'iife' }), build({ ...common, format: 'esm' })]);
  // esbuild bundles and minifies; terser's second look saves another ~2 % of the budget.
  const squeeze = async (text: string, module: boolean) =>
    Buffer.from((await minify(text, { ecma: 2020, module, compress: { passes: 2 }, mangle: true })).code!, 'utf8');
  const iifeBytes = await squeeze(iife.outputFiles![0]!.text, false);
  const esmBytes = await squeeze(esm.outputFiles![0]!.text, true);
  const hash = createHash('sha256').update(iifeBytes).digest('hex').slice(0, 12);
  const hashedName = `rapport.${hash}.js`;
  mkdirSync(outdir, { recursive: true });
  for (const old of readdirSync(outdir)) if (/^rapport\.[0-9a-f]{12}\.js$/.test(old)) rmSync(path.join(outdir, old));
  writeFileSync(path.join(outdir, 'rapport.js'), iifeBytes);
  writeFileSync(path.join(outdir, hashedName), iifeBytes);
  writeFileSync(path.join(outdir, 'rapport.esm.js'), esmBytes);
  const sizes = {
    iife: { raw: iifeBytes.length, gzip: gz(iifeBytes) },
    esm: { raw: esmBytes.length, gzip: gz(esmBytes) },
  };
  writeFileSync(
    path.join(outdir, 'manifest.json'),
    `${JSON.stringify({ 'rapport.js': hashedName, sizes }, null, 2)}\n`,
  );
  return { outdir, hashedName, sizes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await buildWidget();
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  console.log(
    `widget: ${path.relative(process.cwd(), result.outdir)}/rapport.js ${kb(result.sizes.iife.raw)} (${kb(result.sizes.iife.gzip)} gzip, budget ${kb(SIZE_BUDGET_GZIP)}), ${result.hashedName}, rapport.esm.js ${kb(result.sizes.esm.gzip)} gzip`,
  );
  if (result.sizes.iife.gzip > SIZE_BUDGET_GZIP) {
    console.error('widget: over the size budget');
    process.exitCode = 1;
  }
}
