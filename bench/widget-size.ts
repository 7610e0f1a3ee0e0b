/**
 * Widget size for `npm run bench`: builds the widget into a temp dir and reports raw and gzipped
 * bytes of the loader (every page view), the survey UI (only when someone is asked) and what a page
 * where nobody is asked pays, against their budgets (docs/design.md §8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWidget, LOADER_BUDGET_GZIP, UI_BUDGET_GZIP } from '../widget/build';

export interface WidgetSizeRow {
  readonly file: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly budgetBytes: number;
  readonly withinBudget: boolean;
}

export async function widgetSizes(): Promise<WidgetSizeRow[]> {
  const out = mkdtempSync(path.join(tmpdir(), 'rapport-widget-bench-'));
  try {
    const { sizes } = await buildWidget(out);
    const row = (file: string, size: { raw: number; gzip: number }, budget: number): WidgetSizeRow => ({
      file,
      rawBytes: size.raw,
      gzipBytes: size.gzip,
      budgetBytes: budget,
      withinBudget: size.gzip <= budget,
    });
    return [
      row('rapport.js (loader, IIFE)', sizes.iife, LOADER_BUDGET_GZIP),
      row('rapport.esm.js (loader, ES module)', sizes.esm, LOADER_BUDGET_GZIP),
      row('rapport-ui.<hash>.js (survey UI, Preact included)', sizes.ui, UI_BUDGET_GZIP),
      // Nobody asked: the loader alone (the UI is never requested). Someone asked: both.
      row('whole page, nobody asked', sizes.iife, LOADER_BUDGET_GZIP),
      row(
        'whole page, someone asked',
        { raw: sizes.iife.raw + sizes.ui.raw, gzip: sizes.iife.gzip + sizes.ui.gzip },
        LOADER_BUDGET_GZIP + UI_BUDGET_GZIP,
      ),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
