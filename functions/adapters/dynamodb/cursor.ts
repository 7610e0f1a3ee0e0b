/**
 * Opaque page cursors: base64url JSON of where the next page starts, checked on the way back in so a
 * tampered or foreign cursor is a 400, never a DynamoDB error.
 */
import { ValidationError } from '../../domain/errors';

export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (isValid(value)) return value;
  } catch {
    // fall through
  }
  throw new ValidationError([{ path: 'query/cursor', message: 'is not a cursor this API gave out' }]);
}

/** "Start after this id" (ULID-keyed lists). */
export const isAfterId = (v: unknown): v is { after: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { after?: unknown }).after === 'string' &&
  /^[0-9A-Z]{1,64}$/.test((v as { after: string }).after);
