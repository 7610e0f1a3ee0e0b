/**
 * The submission schema: a response id has one spelling whatever case it is sent in, and the
 * honeypot never produces a schema error (which would name it).
 */
import { describe, expect, it } from 'vitest';
import { responseSubmissionSchema } from '../../../../functions/domain/surveys/response-schema';

const submission = (extra: Record<string, unknown>) => ({ surveyVersion: 1, locale: 'en', answers: {}, ...extra });
const idOf = (id: string) => responseSubmissionSchema.parse(submission({ id })).id;

describe('response ids', () => {
  it('ULIDs are upper case and UUIDv7s lower case, however they are sent', () => {
    expect(idOf('01jabcdefghjkmnpqrstvwxyz0')).toBe('01JABCDEFGHJKMNPQRSTVWXYZ0');
    expect(idOf('01JabcdefGHJKMNPQRSTVWXYZ0')).toBe('01JABCDEFGHJKMNPQRSTVWXYZ0');
    expect(idOf('0190F3A2-1B2C-7D3E-8F40-A1B2C3D4E5F6')).toBe('0190f3a2-1b2c-7d3e-8f40-a1b2c3d4e5f6');
  });

  it('refuses the letters Crockford’s decoder would map (I, L, O) or reject (U), in either case', () => {
    for (const id of [
      '01JABCDEFGHJKMNPQRSTVWXYZI',
      '01JABCDEFGHJKMNPQRSTVWXYZl',
      '01JABCDEFGHJKMNPQRSTVWXYZo',
      '01JABCDEFGHJKMNPQRSTVWXYZU',
    ]) {
      expect(responseSubmissionSchema.safeParse(submission({ id })).success, id).toBe(false);
    }
  });
});

describe('the honeypot', () => {
  it('passes the schema with any value, so only the service refuses it, without naming it', () => {
    for (const website of ['', 'http://spam.example', 'x'.repeat(5000), 42, null, { a: 1 }]) {
      expect(
        responseSubmissionSchema.safeParse(submission({ id: '01JABCDEFGHJKMNPQRSTVWXYZ0', website })).success,
      ).toBe(true);
    }
  });
});
