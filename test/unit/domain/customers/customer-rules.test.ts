import { describe, expect, it } from 'vitest';
import { applyChanges, fillFrom, sameFields } from '../../../../functions/domain/customers/customer';
import { parseCsv, toCsv } from '../../../../functions/domain/customers/customer-csv';
import { contribution, duplicateMembership, qualityDelta } from '../../../../functions/domain/customers/quality';
import { ValidationError } from '../../../../functions/domain/errors';

const base = { name: 'Li Lei', email: 'li@example.cn', tags: ['vip'], attributes: { tier: 'gold' } };

describe('changes and merges', () => {
  it('null clears, undefined keeps', () => {
    const next = applyChanges({ ...base, company: 'Acme' }, { company: null, name: 'Li Lei Jr' });
    expect(next).toEqual({ ...base, name: 'Li Lei Jr' });
  });
  it('merge fills only empty fields and unions tags and attributes, primary winning', () => {
    const merged = fillFrom(
      { name: 'Li Lei', tags: ['vip'], attributes: { tier: 'gold' } },
      {
        name: 'L. Lei',
        phone: '+8613812345678',
        company: 'Acme',
        tags: ['beta', 'vip'],
        attributes: { tier: 'silver', city: 'SH' },
      },
    );
    expect(merged).toEqual({
      name: 'Li Lei',
      phone: '+8613812345678',
      company: 'Acme',
      tags: ['vip', 'beta'],
      attributes: { tier: 'gold', city: 'SH' },
    });
  });
  it('compares fields including attribute order independence', () => {
    expect(sameFields({ ...base, attributes: { a: 1, b: 2 } }, { ...base, attributes: { b: 2, a: 1 } })).toBe(true);
    expect(sameFields(base, { ...base, tags: ['other'] })).toBe(false);
  });
});

describe('quality contribution', () => {
  it('counts missing fields and invalid stored values', () => {
    expect(contribution({ name: 'A', email: 'Bad@Example', tags: [], attributes: {} })).toEqual({
      total: 1,
      missing_phone: 1,
      missing_company: 1,
      missing_segment: 1,
      missing_tags: 1,
      invalid_email: 1,
    });
  });
  it('an update contributes the difference; a delete takes everything back', () => {
    const before = { name: 'A', tags: [], attributes: {} };
    const after = { ...before, company: 'Acme', tags: ['x'] };
    expect(qualityDelta(before, after)).toEqual({ missing_company: -1, missing_tags: -1 });
    expect(qualityDelta(after, undefined)).toEqual({
      total: -1,
      missing_email: -1,
      missing_phone: -1,
      missing_segment: -1,
    });
    expect(qualityDelta(after, after)).toEqual({});
  });
  it('moves a record between duplicate groups when name or company change', () => {
    const a = { name: 'Li Lei', company: 'Acme', tags: [], attributes: {} };
    expect(duplicateMembership('1', undefined, a)).toEqual({ customerId: '1', join: 'li lei|acme' });
    expect(duplicateMembership('1', a, { ...a, company: 'Beta' })).toEqual({
      customerId: '1',
      leave: 'li lei|acme',
      join: 'li lei|beta',
    });
    expect(duplicateMembership('1', a, { ...a, email: 'x@y.z' })).toBeUndefined();
  });
});

describe('customer CSV', () => {
  const customer = {
    id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
    name: 'Zhang, "Wei"',
    email: 'zw@example.cn',
    tags: ['vip', 'beta'],
    attributes: { tier: 'gold', ltv: 3 },
    version: 2,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  };
  it('round-trips quotes, commas, tags and attributes', () => {
    const rows = parseCsv(toCsv([customer], true), 1000);
    expect(rows).toEqual([
      {
        id: customer.id,
        name: 'Zhang, "Wei"',
        email: 'zw@example.cn',
        tags: ['vip', 'beta'],
        attributes: { tier: 'gold', ltv: 3 },
        createdAt: customer.createdAt,
      },
    ]);
  });
  it('rejects unknown columns, a missing header and too many rows', () => {
    expect(() => parseCsv('name,nickname\nA,B\n', 10)).toThrow(/nickname/);
    expect(() => parseCsv('', 10)).toThrow(ValidationError);
    expect(() => parseCsv('name\nA\nB\nC\n', 2)).toThrow(/at most 2 rows/);
  });
});

describe('CSV formula safety', () => {
  it('defuses formula cells on export and restores them on import', () => {
    const customer = {
      id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
      name: '=HYPERLINK("http://evil","x")',
      company: "'=already quoted",
      phone: '+8613800138000',
      segment: '-cmd|calc',
      tags: ['@x'],
      attributes: {},
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const csv = toCsv([customer], true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csv).toContain(',+8613800138000,');
    expect(csv).toContain(`'-cmd|calc`);
    const [row] = parseCsv(csv, 10);
    expect(row).toMatchObject({
      name: customer.name,
      company: customer.company,
      phone: customer.phone,
      segment: customer.segment,
      tags: ['@x'],
    });
  });
});
