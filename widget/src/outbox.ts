/**
 * Nothing lost, nothing twice. An answer goes into the outbox (localStorage) with the id the browser
 * made for it *before* anything is sent, and leaves it only when the API has acknowledged it (201,
 * also for a replay of the same id) or refused it for good (a 4xx other than 408/429: retrying would
 * not help). Server errors, 408/429 and network failures are retried with exponential backoff and
 * jitter, honouring Retry-After; the outbox is flushed again on page load and on `online`. On
 * `pagehide` whatever is still pending is sent once more with a keepalive request that outlives the
 * page (where a browser does not keep it alive, the next page load sends it). The
 * same id and the same bytes are sent each time, so the API stores the answer once however often it
 * arrives.
 */
import { read, write } from './store';

export interface Pending {
  /** Response id (ULID), also the API's idempotency key. */
  id: string;
  url: string;
  /** The exact JSON sent each time: a replay must be byte-for-byte the same body. */
  body: string;
  tries: number;
  /** Not before (ms since epoch). */
  due: number;
}

const KEY = 'rapport:outbox';

/** The outbox as only the widget writes it (a JSON array), or empty: nothing there, or unreadable. */
export function pending(): Pending[] {
  try {
    return JSON.parse(read(KEY) ?? '[]');
  } catch {
    return [];
  }
}

const save = (items: Pending[]) => write(KEY, JSON.stringify(items.slice(-50)));

/** Re-reads before each change: another tab may have changed the outbox meanwhile. */
const update = (id: string, change: (item: Pending) => Pending | false) =>
  save(pending().flatMap((item) => (item.id !== id ? [item] : change(item) || [])));

/** Exponential backoff with jitter: 0.5–1 × 1 s, 2 s, 4 s … capped at a minute. */
export const backoff = (tries: number, random = Math.random()) =>
  Math.min(60_000, 1000 * 2 ** tries) * (0.5 + random / 2);

const inFlight = new Set<string>();

export function enqueue(item: Omit<Pending, 'tries' | 'due'>): void {
  save([...pending(), { ...item, tries: 0, due: 0 }]);
  void flush();
}

const post = (item: Pending, keepalive?: boolean) =>
  fetch(item.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: item.body,
    credentials: 'omit',
    keepalive,
  });

/**
 * Sends every item that is due (`all`: every item, as when the browser is back online); resolves
 * when those attempts are over, with the next one scheduled.
 */
export async function flush(all?: boolean): Promise<void> {
  await Promise.all(
    pending()
      .filter((item) => (all || item.due <= Date.now()) && !inFlight.has(item.id))
      .map(attempt),
  );
}

async function attempt(item: Pending): Promise<void> {
  inFlight.add(item.id);
  let wait = 0;
  try {
    const { status, headers } = await post(item);
    if (status < 500 && status !== 408 && status !== 429) return update(item.id, () => false);
    wait = Number(headers.get('retry-after')) * 1000 || 0;
  } catch {
    // Offline, DNS, CORS, connection reset: all worth another try.
  } finally {
    inFlight.delete(item.id);
  }
  wait = Math.max(wait, backoff(item.tries));
  update(item.id, (p) => ({ ...p, tries: p.tries + 1, due: Date.now() + wait }));
  setTimeout(flush, wait + 99);
}

/**
 * Last chance before the page goes: a keepalive fetch, which may make the CORS preflight an API on
 * another origin needs (a beacon cannot). The items stay in the outbox: the next page load sends them
 * again and the API answers the replay with the stored response.
 */
export function sendPending(): void {
  for (const item of pending()) post(item, true).catch(() => undefined);
}

addEventListener('online', () => flush(true));
addEventListener('pagehide', sendPending);
