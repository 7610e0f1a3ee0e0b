/** docs/design.md §8: the whole widget, Preact included, ≤ 10 KB gzipped. Builds into a temp dir and gzips. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget, SIZE_BUDGET_GZIP } from '../../../widget/build';

const out = mkdtempSync(path.join(tmpdir(), 'rapport-widget-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('widget size budget', () => {
  it('keeps the IIFE and the ES module within 10 KB gzipped, Preact included', async () => {
    const result = await buildWidget(out);
    const iife = gzipSync(readFileSync(path.join(out, 'rapport.js')), { level: 9 }).length;
    expect(iife).toBe(result.sizes.iife.gzip);
    expect(iife, `rapport.js is ${iife} bytes gzipped`).toBeLessThanOrEqual(SIZE_BUDGET_GZIP);
    expect(result.sizes.esm.gzip).toBeLessThanOrEqual(SIZE_BUDGET_GZIP);
    // The hashed copy is byte-identical (it is what CloudFront caches for a year).
    expect(readFileSync(path.join(out, result.hashedName))).toEqual(readFileSync(path.join(out, 'rapport.js')));
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['rapport.js']).toBe(result.hashedName);
  });

  it('ships no eval, no Function constructor and no innerHTML', () => {
    const code = readFileSync(path.join(out, 'rapport.js'), 'utf8');
    expect(code).not.toMatch(/\beval\(|new Function\(|document\.write/);
    expect(code).not.toMatch(/insertAdjacentHTML|outerHTML\s*=/);
  });
});
