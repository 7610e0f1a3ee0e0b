/**
 * Builds the console into console/dist/:
 *   index.html                the only page (every console path answers with it): no inline script or style
 *   assets/main-<hash>.js     the entry (ES module), and assets/chunk-<hash>.js shared code
 *   assets/<page>-<hash>.js   one chunk per page, loaded when the page is opened
 *   assets/charts-<hash>.js   Observable Plot and the charts, loaded only where a chart is drawn
 *   assets/main-<hash>.css    all styles, as a file
 *   manifest.json             gzipped bytes of the first load and of each page (bench and the budget test)
 * Content-hashed names are cached for a year; index.html is revalidated. `npm run build:console`
 * runs it; `npm start` and `npm test` build it first.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { signingSnippetsPlugin } from './signing-snippets';

export const CONSOLE_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIST = path.join(CONSOLE_DIR, 'dist');
/** The budget: JavaScript the browser fetches before the first page shows, gzipped. */
export const FIRST_LOAD_BUDGET_GZIP = 80 * 1024;

export interface ChunkSize {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
}

export interface ConsoleBuild {
  readonly outdir: string;
  readonly entry: string;
  readonly css: string;
  /** The entry and every chunk it imports statically: what index.html makes the browser fetch. */
  readonly firstLoad: { readonly files: readonly ChunkSize[]; readonly gzip: number };
  /** Per lazily loaded module (pages, charts): its own chunk plus static imports not in the first load. */
  readonly lazy: Readonly<Record<string, { readonly files: readonly ChunkSize[]; readonly gzip: number }>>;
}

const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

function staticClosure(meta: Metafile, start: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of meta.outputs[file]?.imports ?? [])
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(start);
  return [...seen];
}

export async function buildConsole(outdir = CONSOLE_DIST): Promise<ConsoleBuild> {
  rmSync(outdir, { recursive: true, force: true });
  const assets = path.join(outdir, 'assets');
  mkdirSync(assets, { recursive: true });
  const result = await build({
    entryPoints: { main: path.join(CONSOLE_DIR, 'src', 'main.tsx') },
    outdir: assets,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    metafile: true,
    write: false,
    target: ['chrome111', 'firefox113', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    legalComments: 'external',
    charset: 'utf8',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [signingSnippetsPlugin(path.join(CONSOLE_DIR, '..', 'docs', 'api.md'))],
  });
  const meta = result.metafile;
  const bytes = new Map(result.outputFiles.map((f) => [path.relative(process.cwd(), f.path), f.contents]));
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);

  const size = (file: string): ChunkSize => {
    const contents = bytes.get(file) ?? new Uint8Array();
    return { file: path.basename(file), raw: contents.length, gzip: gz(contents) };
  };
  const outputs = Object.entries(meta.outputs);
  const jsEntry = outputs.find(([file, o]) => file.endsWith('.js') && o.entryPoint?.endsWith('src/main.tsx'))?.[0];
  if (!jsEntry) throw new Error('console build: no entry chunk');
  const cssEntry = meta.outputs[jsEntry]?.cssBundle;
  if (!cssEntry?.endsWith('.css')) throw new Error('console build: no stylesheet');

  const first = staticClosure(meta, jsEntry);
  const firstFiles = first.map(size);
  const lazy: Record<string, { files: ChunkSize[]; gzip: number }> = {};
  for (const [file, output] of outputs) {
    // Only the console's own lazy modules (a library may import something dynamically it never uses here).
    if (!file.endsWith('.js') || file === jsEntry || !output.entryPoint?.includes('console/src/')) continue;
    const name = path.basename(output.entryPoint).replace(/\.tsx?$/, '');
    const files = staticClosure(meta, file)
      .filter((f) => !first.includes(f))
      .map(size);
    lazy[name] = { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
  }

  const href = (file: string) => `/assets/${path.basename(file)}`;
  const preloads = first
    .filter((f) => f !== jsEntry)
    .map((f) => `<link rel="modulepreload" href="${href(f)}">`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Rapport</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${href(cssEntry)}">
<script type="module" src="${href(jsEntry)}"></script>
${preloads}
</head>
<body>
<div id="app"><p class="boot" role="status">Loading Rapport… 正在加载…</p></div>
<noscript>Rapport needs JavaScript. Rapport 需要启用 JavaScript。</noscript>
</body>
</html>
`;
  writeFileSync(path.join(outdir, 'index.html'), html);
  const firstLoad = { files: firstFiles, gzip: firstFiles.reduce((sum, f) => sum + f.gzip, 0) };
  const manifest = { entry: path.basename(jsEntry), css: path.basename(cssEntry), firstLoad, lazy };
  writeFileSync(path.join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { outdir, entry: path.basename(jsEntry), css: path.basename(cssEntry), firstLoad, lazy };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await buildConsole();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `console: ${path.relative(process.cwd(), result.outdir)}/ first load ${kb(result.firstLoad.gzip)} gzip (budget ${kb(FIRST_LOAD_BUDGET_GZIP)})`,
  );
  for (const [name, chunk] of Object.entries(result.lazy)) console.log(`  ${name}: +${kb(chunk.gzip)} gzip`);
  if (result.firstLoad.gzip > FIRST_LOAD_BUDGET_GZIP) {
    console.error('console: first load over the budget');
    process.exitCode = 1;
  }
}
