/**
 * The console for `npm run bench`: gzipped JavaScript of the first load and of each lazily loaded
 * page (a fresh build), and how long the results page takes to render a 90-day report — trend,
 * every question's distribution, the drivers — once the report has arrived, in headless Chromium
 * against the local runtime. The page marks the report's arrival and each chart drawn; the time is
 * from the arrival to the last chart (Observable Plot already loaded, as on any second view).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildConsole, type ConsoleBuild, FIRST_LOAD_BUDGET_GZIP } from '../console/build';
import type { Runtime } from '../local/runtime';
import { percentile } from './stats';

export const RENDER_TARGET_MS = 200;

export interface RenderSummary {
  readonly runs: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
}

export async function consoleSizes(): Promise<ConsoleBuild & { budget: number }> {
  const out = mkdtempSync(path.join(tmpdir(), 'rapport-console-bench-'));
  try {
    return { ...(await buildConsole(out)), budget: FIRST_LOAD_BUDGET_GZIP };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Renders of the results page for a survey with 90 days of data: ms from the report's arrival to the last chart. */
export async function benchResultsRender(runtime: Runtime, surveyId: string, runs = 9): Promise<RenderSummary> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    await page.goto(`${runtime.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Admin/ }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.goto(`${runtime.url}/surveys/${surveyId}?range=30&granularity=day`);
    await page.locator('.chart svg').first().waitFor({ timeout: 60_000 });
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.getByRole('button', { name: '30 days' }).click();
      await page.getByRole('button', { name: '30 days', pressed: true }).waitFor();
      await page.locator('.results[aria-busy="false"]').waitFor();
      await page.evaluate(() => performance.clearMarks());
      await page.getByRole('button', { name: '90 days' }).click();
      await page.waitForFunction(
        () => {
          // Runs in the page; typed without the DOM library, which this file is checked without.
          const page = globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } };
          const arrived = performance.getEntriesByName('rapport:report-arrived').at(-1);
          if (!arrived) return false;
          const drawn = performance
            .getEntriesByName('rapport:chart-drawn')
            .filter((m) => m.startTime >= arrived.startTime);
          return drawn.length >= page.document.querySelectorAll('.results .chart').length;
        },
        undefined,
        { timeout: 60_000 },
      );
      const ms = await page.evaluate(() => {
        const arrived = performance.getEntriesByName('rapport:report-arrived').at(-1)?.startTime ?? 0;
        const last = Math.max(...performance.getEntriesByName('rapport:chart-drawn').map((m) => m.startTime));
        return last - arrived;
      });
      // The first run also pays for one-time work (fonts, Plot's first use at this size): a warm-up.
      if (i > 0) samples.push(ms);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      runs: sorted.length,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      max: sorted.at(-1) ?? Number.NaN,
    };
  } finally {
    await browser.close();
  }
}
