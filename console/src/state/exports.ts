/**
 * CSV exports that page through the API (Rapport-Next-Cursor) and save one file: the header once,
 * then every page's rows.
 */
import { api, call } from '../api/client';
import { download } from '../ui/download';

function joinPages(pages: string[]): string {
  const [first = '', ...rest] = pages;
  return [first, ...rest.map((p) => p.slice(p.indexOf('\n') + 1))].filter(Boolean).join('');
}

export async function exportResponses(surveyId: string, range: { from: string; to: string }): Promise<number> {
  const pages: string[] = [];
  let cursor: string | undefined;
  do {
    const { data, response } = await call(() =>
      api.GET('/v1/surveys/{id}/responses/export', {
        params: { path: { id: surveyId }, query: { ...range, ...(cursor ? { cursor } : {}) } },
        parseAs: 'text',
      }),
    );
    pages.push(String(data));
    cursor = response.headers.get('rapport-next-cursor') ?? undefined;
  } while (cursor);
  const csv = joinPages(pages);
  download(`responses-${surveyId}-${range.from}-${range.to}.csv`, csv, 'text/csv;charset=utf-8');
  return Math.max(0, csv.split('\n').filter(Boolean).length - 1);
}

export async function exportCustomers(format: 'csv' | 'jsonl'): Promise<void> {
  const pages: string[] = [];
  let cursor: string | undefined;
  do {
    const { data, response } = await call(() =>
      api.GET('/v1/customers/export', {
        params: { query: { format, ...(cursor ? { cursor } : {}) } },
        parseAs: 'text',
      }),
    );
    pages.push(String(data));
    cursor = response.headers.get('rapport-next-cursor') ?? undefined;
  } while (cursor);
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === 'csv') download(`customers-${stamp}.csv`, joinPages(pages), 'text/csv;charset=utf-8');
  else download(`customers-${stamp}.jsonl`, pages.join(''), 'application/x-ndjson');
}
