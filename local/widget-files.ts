/**
 * The built widget as `npm start` serves it: compressed as the CDN serves it (brotli, else gzip, as
 * the client's Accept-Encoding allows), so what a page pays locally is what it pays in production.
 * Each file is read and compressed once and kept: the hashed files never change (their names change
 * with their bytes), and the others are read again only when their size or modification time changes.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { isHashedFile } from '../widget/chunks';

export type ContentCoding = 'br' | 'gzip';

/** The codings the server can produce, in its order of preference when the client likes them equally. */
const CODINGS: readonly ContentCoding[] = ['br', 'gzip'];

/** `x-gzip` is gzip (RFC 9110 §8.4.1.3). */
const ALIASES: Readonly<Record<string, string>> = { 'x-gzip': 'gzip' };

const QVALUE = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

/**
 * The coding to send for an Accept-Encoding header (RFC 9110 §12.5.3): codings are case-insensitive,
 * each may carry a weight (`;q=0.5`; `q=0` means "not acceptable"), and `*` stands for every coding
 * the header does not name. The acceptable coding with the highest weight wins (brotli on a tie);
 * undefined means identity. Without the header, identity too: a client that says nothing gets the bytes
 * as they are, as CloudFront does. A malformed entry is ignored rather than guessed at.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentCoding | undefined {
  if (acceptEncoding === undefined) return undefined;
  const weights = new Map<string, number>();
  for (const entry of acceptEncoding.split(',')) {
    const [rawName = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const name = ALIASES[rawName] ?? rawName;
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !QVALUE.test(q.replace(/\s+/g, ''))) continue;
    const weight = q === undefined ? 1 : Number(q.replace(/\s+/g, '').slice(2));
    // A coding named twice keeps its highest weight.
    weights.set(name, Math.max(weight, weights.get(name) ?? 0));
  }
  const any = weights.get('*') ?? 0;
  let best: ContentCoding | undefined;
  let bestWeight = 0;
  for (const coding of CODINGS) {
    const weight = weights.get(coding) ?? any;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Brotli's and gzip's strongest settings: each file is compressed once, so the time is paid once. */
function compress(raw: Buffer, coding: ContentCoding): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(raw, { level: constants.Z_BEST_COMPRESSION });
  return brotli(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
}

interface CachedFile {
  /** `immutable` for a hashed file; else its size and modification time when it was read. */
  readonly version: string;
  /** The bytes, read once per version (a promise, so that concurrent first requests read once). */
  readonly raw: Promise<Buffer | undefined>;
  /** Compressions under way or done, shared by concurrent requests (off the event loop). */
  readonly encoded: Map<ContentCoding, Promise<Buffer>>;
}

export interface WidgetFile {
  readonly body: Buffer;
  readonly encoding?: ContentCoding;
  /** A content-hashed file: cacheable for a year. */
  readonly hashed: boolean;
}

export interface WidgetFiles {
  /** The file in the best coding the client accepts; undefined when there is no such file. */
  get(file: string, acceptEncoding: string | undefined): Promise<WidgetFile | undefined>;
}

export function createWidgetFiles(dir: string): WidgetFiles {
  const cache = new Map<string, CachedFile>();

  async function load(file: string): Promise<CachedFile | undefined> {
    const full = path.join(dir, file);
    let version = 'immutable';
    if (isHashedFile(file)) {
      const cached = cache.get(file);
      if (cached) return cached;
    } else {
      const info = await stat(full).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      version = `${info.size}:${info.mtimeMs}`;
      const current = cache.get(file);
      if (current?.version === version) return current;
    }
    const entry: CachedFile = { version, raw: readFile(full).catch(() => undefined), encoded: new Map() };
    cache.set(file, entry);
    // A file that could not be read is not kept: it may be built meanwhile.
    if (!(await entry.raw)) {
      if (cache.get(file) === entry) cache.delete(file);
      return undefined;
    }
    return entry;
  }

  return {
    async get(file, acceptEncoding) {
      const entry = await load(file);
      const raw = await entry?.raw;
      if (!entry || !raw) return undefined;
      const hashed = isHashedFile(file);
      const encoding = negotiateEncoding(acceptEncoding);
      if (!encoding) return { body: raw, hashed };
      let encoded = entry.encoded.get(encoding);
      if (!encoded) {
        encoded = compress(raw, encoding);
        entry.encoded.set(encoding, encoded);
        // A failed compression is not kept: the next request tries again.
        encoded.catch(() => entry.encoded.delete(encoding));
      }
      return { body: await encoded, encoding, hashed };
    },
  };
}
