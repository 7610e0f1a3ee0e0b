/**
 * The customer CSV round-trips: whatever a field holds, export then import gives it back exactly,
 * while cells a spreadsheet would run as a formula are exported with a leading apostrophe.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../../../functions/domain/customers/customer';
import { escapeCell, parseCsv, toCsv, unescapeCell } from '../../../../functions/domain/customers/customer-csv';

const customer = (fields: Partial<Customer>): Customer => ({
  id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  tags: [],
  attributes: {},
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

/** Export one customer, import the file: the raw row import validates. */
const roundTrip = (fields: Partial<Customer>) => parseCsv(toCsv([customer(fields)], true), 10)[0];

/** Strings that start the way escaping cares about. */
const tricky = fc
  .tuple(fc.constantFrom('', "'", "''", "'''", '=', '+', '-', '@', '\t', "'=", "'+", '+86 '), fc.string())
  .map(([head, tail]) => head + tail);

describe('customer CSV', () => {
  it('keeps values that start with apostrophes', () => {
    for (const name of ["''quoted''", "'", "''", "'=1+1", "'plain", "O'Brien", "'+8613800138000"]) {
      expect(roundTrip({ name })?.name).toBe(name);
    }
    expect(roundTrip({ company: "''Acme" })?.company).toBe("''Acme");
    expect(roundTrip({ tags: ["''a", 'b'] })?.tags).toEqual(["''a", 'b']);
  });

  it('defuses formulas, and leaves phone numbers alone', () => {
    expect(escapeCell('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(escapeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeCell('-2+3')).toBe("'-2+3");
    expect(escapeCell('+8613800138000')).toBe('+8613800138000');
    expect(roundTrip({ name: '=1+1' })?.name).toBe('=1+1');
  });

  it('unescape(escape(v)) is v for every string', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string()), (v) => {
        expect(unescapeCell(escapeCell(v))).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('every name survives export then import', () => {
    fc.assert(
      fc.property(
        tricky.filter((v) => v.trim() !== ''),
        (name) => {
          expect(roundTrip({ name })?.name).toBe(name);
        },
      ),
      { numRuns: 500 },
    );
  });
});
