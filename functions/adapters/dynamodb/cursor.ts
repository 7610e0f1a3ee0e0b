/** Opaque page cursors: base64url JSON, checked on the way back in so a tampered cursor is a 400. */
import { ValidationError } from '../../domain/errors';

export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' && /^[0-9A-Z]{1,64}$/.test(parsed.after)) return parsed.after;
  } catch {
    // fall through
  }
  throw new ValidationError([{ path: 'cursor', message: 'is not a cursor this API gave out' }]);
}
