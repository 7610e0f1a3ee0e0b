import { describe, expect, it } from 'vitest';
import {
  duplicateKey,
  isValidEmail,
  loadPhoneNumbers,
  normalisePhone,
} from '../../../../functions/domain/customers/normalise';
import { isValidE164, toE164 } from '../../../../functions/domain/customers/phone-numbers';
import { ValidationError } from '../../../../functions/domain/errors';

describe('phone normalisation', () => {
  it('reads a mainland-China mobile written with spaces as E.164 with region CN', () => {
    expect(toE164('138 1234 5678', 'CN')).toBe('+8613812345678');
  });
  it('keeps an explicit country code whatever the default region', () => {
    expect(toE164('+44 20 7946 0958', 'CN')).toBe('+442079460958');
    expect(toE164('(201) 555-0123', 'US')).toBe('+12015550123');
  });
  it('refuses numbers that are not valid for the region', async () => {
    expect(toE164('12345', 'CN')).toBeUndefined();
    expect(toE164('1234567890', 'CN')).toBeUndefined();
    const phones = await loadPhoneNumbers();
    expect(() => normalisePhone(phones, '12345', 'CN')).toThrow(ValidationError);
  });
  it('names the field and the region in the error', async () => {
    const phones = await loadPhoneNumbers();
    try {
      normalisePhone(phones, '12345', 'CN', 'rows/2/phone');
      expect.unreachable();
    } catch (err) {
      expect((err as ValidationError).errors[0]).toMatchObject({ path: 'rows/2/phone' });
      expect((err as ValidationError).message).toContain('CN');
    }
  });
  it('checks stored values for the quality report', () => {
    expect(isValidE164('+8613812345678')).toBe(true);
    expect(isValidE164('13812345678')).toBe(false);
    expect(isValidEmail('li.lei@example.cn')).toBe(true);
    expect(isValidEmail('Li.Lei@example.cn')).toBe(false);
    expect(isValidEmail('not-an-email')).toBe(false);
  });
});

describe('duplicate key', () => {
  it('ignores case, width and spacing of name and company', () => {
    expect(duplicateKey(' Li  Lei ', 'ACME Ltd')).toBe(duplicateKey('li lei', 'acme ltd'));
    expect(duplicateKey('Ｌｉ Lei', 'Acme')).toBe(duplicateKey('li lei', 'acme'));
  });
  it('has no key without a name', () => {
    expect(duplicateKey(undefined, 'Acme')).toBeUndefined();
  });
});
