/**
 * The console's byte budget: the JavaScript fetched before the first page shows is at most 80 KB
 * gzipped (charts are loaded only where drawn), and every page is its own chunk. Builds into a temp
 * dir; the per-page numbers are printed (and recorded by `npm run bench`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConsole, FIRST_LOAD_BUDGET_GZIP } from '../../console/build';

const out = mkdtempSync(path.join(tmpdir(), 'rapport-console-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('console bundle', () => {
  it('keeps the first load within 80 KB gzipped, with every page and the charts in chunks of their own', async () => {
    const result = await buildConsole(out);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(
      [
        `first load ${kb(result.firstLoad.gzip)} gzipped (${result.firstLoad.files.length} files)`,
        ...Object.entries(result.lazy).map(([name, chunk]) => `  ${name}: +${kb(chunk.gzip)}`),
      ].join('\n'),
    );
    expect(result.firstLoad.gzip).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZIP);
    for (const page of ['overview', 'survey-editor', 'results', 'followups', 'customers', 'customer-detail', 'quality'])
      expect(result.lazy[page]?.gzip, page).toBeGreaterThan(0);
    // Observable Plot is not in the first load.
    expect(result.lazy.plots?.gzip ?? 0).toBeGreaterThan(40 * 1024);
    const first = result.firstLoad.files.map((f) => readFileSync(path.join(out, 'assets', f.file), 'utf8')).join('\n');
    expect(first).not.toContain('observablehq');
  });

  it('writes an index.html with nothing inline and content-hashed assets', () => {
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|style=/);
    expect(html).toMatch(/<script type="module" src="\/assets\/main-[A-Z0-9]{8}\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/main-[A-Z0-9]{8}\.css">/);
    for (const file of readdirSync(path.join(out, 'assets'))) expect(file).toMatch(/-[A-Z0-9]{8}\.(js|css|txt)$/);
  });
});
