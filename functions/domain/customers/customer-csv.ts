/**
 * The customer file format shared by export and import: one column set, so that an export imported
 * into an empty table gives identical records. Tags are `;`-separated, attributes a JSON object.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ValidationError } from '../errors';
import type { Customer } from './customer';

/** What import removes: a leading apostrophe before a formula character or another apostrophe. */
const ESCAPED = /^'[=@+\-\t\r']/;

/**
 * Spreadsheets run cells that start with = + - @ (or a tab or carriage return) as formulas. Such
 * cells get a leading apostrophe on export, which import removes again, so exports are safe to open
 * and still round-trip. Plain numbers such as E.164 phones ("+8613800138000") are left alone. A value
 * that already looks escaped (`'=…`, `''…`) gets one more apostrophe, or import would strip one of its
 * own: every value comes back exactly (`unescapeCell(escapeCell(v)) === v`).
 */
export function escapeCell(value: string): string {
  const risky =
    /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-]?[\d\s().-]+$/.test(value)) || ESCAPED.test(value);
  return risky ? `'${value}` : value;
}

export function unescapeCell(value: string): string {
  return ESCAPED.test(value) ? value.slice(1) : value;
}

export const CSV_COLUMNS = [
  'id',
  'name',
  'email',
  'phone',
  'company',
  'segment',
  'tags',
  'attributes',
  'createdAt',
] as const;

/** What an export row (CSV or JSON lines) holds: exactly the fields import accepts. */
export function toExportRow(c: Customer): Record<string, unknown> {
  const row: Record<string, unknown> = { id: c.id };
  for (const f of ['name', 'email', 'phone', 'company', 'segment'] as const) if (c[f] !== undefined) row[f] = c[f];
  if (c.tags.length) row.tags = c.tags;
  if (Object.keys(c.attributes).length) row.attributes = c.attributes;
  row.createdAt = c.createdAt;
  return row;
}

export function toCsv(customers: Customer[], withHeader: boolean): string {
  const records = customers.map((c) => {
    const r = toExportRow(c);
    return CSV_COLUMNS.map((col) => {
      const v = r[col];
      if (v === undefined) return '';
      if (col === 'tags') return escapeCell((v as string[]).join(';'));
      if (col === 'attributes') return JSON.stringify(v);
      return escapeCell(String(v));
    });
  });
  return stringify(withHeader ? [[...CSV_COLUMNS], ...records] : records);
}

export function toJsonLines(customers: Customer[]): string {
  return customers.map((c) => JSON.stringify(toExportRow(c))).join('\n') + (customers.length ? '\n' : '');
}

/**
 * Parses an import CSV into raw rows (objects keyed by column). Empty cells are omitted, `tags` is
 * split, `attributes` parsed as JSON; anything unparseable is left as a string so that per-row
 * validation reports it against the row rather than failing the whole file.
 */
export function parseCsv(text: string, maxRows: number): Record<string, unknown>[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: false });
  } catch (err) {
    throw new ValidationError([{ path: 'body', message: `the CSV cannot be read: ${(err as Error).message}` }]);
  }
  const [header, ...rows] = records;
  if (!header) throw new ValidationError([{ path: 'body', message: 'the CSV is empty: it needs a header row' }]);
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) {
    throw new ValidationError([
      { path: 'header', message: `unknown column(s) ${unknown.join(', ')}; accepted: ${CSV_COLUMNS.join(', ')}` },
    ]);
  }
  if (new Set(columns).size !== columns.length) {
    throw new ValidationError([{ path: 'header', message: 'a column appears twice' }]);
  }
  if (rows.length > maxRows) {
    throw new ValidationError([{ path: 'body', message: `at most ${maxRows} rows per request (got ${rows.length})` }]);
  }
  return rows.map((cells) => {
    const row: Record<string, unknown> = {};
    columns.forEach((col, i) => {
      const cell = unescapeCell(cells[i] ?? '');
      if (cell.trim() === '') return;
      if (col === 'tags')
        row.tags = cell
          .split(';')
          .map((t) => t.trim())
          .filter(Boolean);
      else if (col === 'attributes') {
        try {
          row.attributes = JSON.parse(cell);
        } catch {
          row.attributes = cell;
        }
      } else row[col] = cell;
    });
    return row;
  });
}
