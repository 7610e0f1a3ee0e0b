import { describe, expect, it } from 'vitest';
import {
  customerCreateSchema,
  customerImportRowSchema,
  customerLookupQuerySchema,
  customerPatchSchema,
  LIMITS,
} from '../../../../functions/domain/customers/customer-schema';

describe('customer create schema', () => {
  it('trims and lower-cases the e-mail, trims names, de-duplicates tags', () => {
    const parsed = customerCreateSchema.parse({
      name: '  Wang Fang ',
      email: '  Wang.Fang@Example.COM ',
      tags: ['vip', 'vip', 'beta'],
    });
    expect(parsed).toEqual({ name: 'Wang Fang', email: 'wang.fang@example.com', tags: ['vip', 'beta'] });
  });
  it('rejects unknown fields with their names', () => {
    const result = customerCreateSchema.safeParse({ name: 'A', nickname: 'x' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('nickname');
  });
  it('rejects invalid e-mails and over-long fields', () => {
    expect(customerCreateSchema.safeParse({ email: 'no-at-sign' }).success).toBe(false);
    expect(customerCreateSchema.safeParse({ name: 'x'.repeat(LIMITS.name + 1) }).success).toBe(false);
    expect(
      customerCreateSchema.safeParse({ name: 'A', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }).success,
    ).toBe(false);
    expect(customerCreateSchema.safeParse({ name: 'A', tags: ['a;b'] }).success).toBe(false);
  });
  it('needs a name, e-mail or phone', () => {
    expect(customerCreateSchema.safeParse({ company: 'Acme' }).success).toBe(false);
    expect(customerCreateSchema.safeParse({ phone: '138 1234 5678' }).success).toBe(true);
  });
  it('bounds attributes', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect(customerCreateSchema.safeParse({ name: 'A', attributes: many }).success).toBe(false);
    expect(customerCreateSchema.safeParse({ name: 'A', attributes: { 'bad key': 1 } }).success).toBe(false);
    expect(
      customerCreateSchema.safeParse({ name: 'A', attributes: { tier: 'gold', ltv: 12.5, active: true } }).success,
    ).toBe(true);
  });
});

describe('patch, import and lookup schemas', () => {
  it('lets a patch clear a field with null and carry a version', () => {
    expect(customerPatchSchema.parse({ company: null, version: 3 })).toEqual({ company: null, version: 3 });
  });
  it('accepts an export row with id and createdAt', () => {
    expect(
      customerImportRowSchema.safeParse({
        id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
        name: 'A',
        createdAt: '2026-01-01T00:00:00.000Z',
      }).success,
    ).toBe(true);
    expect(customerImportRowSchema.safeParse({ id: 'not-a-ulid', name: 'A' }).success).toBe(false);
  });
  it('wants exactly one of email or phone for a lookup', () => {
    expect(customerLookupQuerySchema.safeParse({}).success).toBe(false);
    expect(customerLookupQuerySchema.safeParse({ email: 'a@b.co', phone: '1' }).success).toBe(false);
    expect(customerLookupQuerySchema.safeParse({ email: 'A@b.co' }).data).toEqual({ email: 'a@b.co' });
  });
});
