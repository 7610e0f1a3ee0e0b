/**
 * Everything the widget keeps in the visitor's browser, all in localStorage (never cookies): an
 * anonymous visitor id for deterministic sampling, when each survey was last answered or dismissed
 * (frequency cap), and the outbox of unacknowledged answers. Storage may be missing or full
 * (private modes): then the widget keeps going in memory.
 */
import { ulid } from './ulid';

const memory: Record<string, string | number> = {};

/** What `write` kept (a number written comes back as itself from memory: `Number()` reads both). */
export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return (memory[key] as string) ?? null;
  }
}

/** A number is stored as its digits (localStorage turns it into a string; the bytes of `String()` saved). */
export function write(key: string, value: string | number): void {
  memory[key] = value;
  try {
    localStorage.setItem(key, value as string);
  } catch {
    /* memory only */
  }
}

/** FNV-1a, 32 bits: stable across browsers and sessions, which is all sampling needs. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function visitorId(): string {
  const id = read('rapport:visitor') || ulid();
  write('rapport:visitor', id);
  return id;
}

/** The same visitor always falls on the same side of the sampling rate for a given survey. */
export const sampled = (surveyId: string, rate: number, visitor = visitorId()) =>
  rate >= 1 || hash(`${visitor}:${surveyId}`) / 2 ** 32 < rate;

const seenKey = (surveyId: string) => `rapport:seen:${surveyId}`;

/** True while the visitor answered or dismissed this survey less than `days` ago. */
export function capped(surveyId: string, days: number, now = Date.now()): boolean {
  const at = Number(read(seenKey(surveyId)));
  return now - at < days * 86_400_000;
}

export const markSeen = (surveyId: string, now = Date.now()) => write(seenKey(surveyId), now);
