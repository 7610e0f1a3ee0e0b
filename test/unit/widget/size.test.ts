/**
 * docs/design.md §8: the widget's two halves within their gzipped budgets — the loader every page
 * view pays for, and the survey UI (Preact included) loaded only when someone is asked — and the two
 * chunks the loader fetches only when needed (rarer triggers, debug words). Builds into a temp dir and
 * gzips; bytes are deterministic.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget, LOADER_BUDGET_GZIP, UI_BUDGET_GZIP } from '../../../widget/build';
import { isHashedFile } from '../../../widget/chunks';

const out = mkdtempSync(path.join(tmpdir(), 'rapport-widget-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const gz = (file: string) => gzipSync(readFileSync(path.join(out, file)), { level: 9 }).length;

describe('widget size budget', () => {
  it('keeps the loader and the survey UI within their budgets, each content-hashed', async () => {
    const result = await buildWidget(out);
    expect(gz('rapport.js')).toBe(result.sizes.iife.gzip);
    expect(gz('rapport.js'), `rapport.js is ${gz('rapport.js')} bytes gzipped`).toBeLessThanOrEqual(LOADER_BUDGET_GZIP);
    expect(result.sizes.esm.gzip).toBeLessThanOrEqual(LOADER_BUDGET_GZIP);
    expect(gz(result.uiName), `the survey UI is ${gz(result.uiName)} bytes gzipped`).toBeLessThanOrEqual(
      UI_BUDGET_GZIP,
    );
    // The hashed copies are byte-identical (they are what CloudFront caches for a year).
    expect(readFileSync(path.join(out, result.hashedName))).toEqual(readFileSync(path.join(out, 'rapport.js')));
    expect(readFileSync(path.join(out, result.uiName))).toEqual(readFileSync(path.join(out, 'rapport-ui.js')));
    for (const [name, chunk] of [
      [result.triggersName, 'rapport-triggers'],
      [result.debugName, 'rapport-debug'],
    ] as const) {
      expect(name).toMatch(new RegExp(`^${chunk}\\.[0-9a-f]{12}\\.js$`));
      expect(gz(name)).toBe(result.sizes[chunk === 'rapport-triggers' ? 'triggers' : 'debug'].gzip);
    }
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      'rapport.js': string;
      'rapport-ui.js': string;
      inputs: { loader: string[]; ui: string[] };
    };
    expect(manifest['rapport.js']).toBe(result.hashedName);
    expect(manifest['rapport-ui.js']).toBe(result.uiName);
    // What the front door and the local server cache for a year: every hashed file, and only those.
    for (const name of [result.hashedName, result.uiName, result.triggersName, result.debugName])
      expect(isHashedFile(name), name).toBe(true);
    for (const name of ['rapport.js', 'rapport-ui.js', 'rapport.esm.js', 'manifest.json'])
      expect(isHashedFile(name), name).toBe(false);
    // The loader names the UI it loads; nobody pays for Preact before being asked.
    const loader = readFileSync(path.join(out, 'rapport.js'), 'utf8');
    expect(loader).toContain(result.uiName);
    // …and the chunks it fetches only when a page needs them: the rarer triggers and the debug words
    // are in those, not in what every page view pays for.
    expect(loader).toContain(result.triggersName);
    expect(loader).toContain(result.debugName);
    for (const rare of ['scrollHeight', 'pointer:fine', 'recontact window', 'allowedOrigins must list'])
      expect(loader).not.toContain(rare);
    expect(readFileSync(path.join(out, result.triggersName), 'utf8')).toContain('scrollHeight');
    expect(readFileSync(path.join(out, result.debugName), 'utf8')).toContain('recontact window');
    expect(manifest.inputs.loader.some((f) => f.includes('preact'))).toBe(false);
    // The shared evaluator comes in, zod (the API's schemas) never does.
    expect(manifest.inputs.ui).toContain('functions/domain/surveys/branching.ts');
    for (const files of [manifest.inputs.loader, manifest.inputs.ui])
      expect(files.some((f) => f.includes('zod'))).toBe(false);
  });

  it('ships no eval, no Function constructor and no innerHTML', () => {
    const chunks = readdirSync(out).filter((f) => /^rapport-(triggers|debug)\./.test(f));
    expect(chunks).toHaveLength(2);
    for (const file of ['rapport.js', 'rapport-ui.js', 'rapport.esm.js', ...chunks]) {
      const code = readFileSync(path.join(out, file), 'utf8');
      expect(code).not.toMatch(/\beval\(|new Function\(|document\.write/);
      expect(code).not.toMatch(/insertAdjacentHTML|outerHTML\s*=/);
    }
  });
});
