/**
 * Widget size for `npm run bench`: builds the widget into a temp dir and reports raw and gzipped
 * bytes of each bundle against the 10 KB budget (docs/design.md §8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWidget, SIZE_BUDGET_GZIP } from '../widget/build';

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
    return [
      {
        file: 'rapport.js (IIFE)',
        rawBytes: sizes.iife.raw,
        gzipBytes: sizes.iife.gzip,
        budgetBytes: SIZE_BUDGET_GZIP,
        withinBudget: sizes.iife.gzip <= SIZE_BUDGET_GZIP,
      },
      {
        file: 'rapport.esm.js',
        rawBytes: sizes.esm.raw,
        gzipBytes: sizes.esm.gzip,
        budgetBytes: SIZE_BUDGET_GZIP,
        withinBudget: sizes.esm.gzip <= SIZE_BUDGET_GZIP,
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
