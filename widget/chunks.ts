/**
 * The widget's content-hashed files (`<name>.<12 hex digits>.js`), cached for a year because their
 * names change with their bytes: the loader, the survey UI and the two chunks the loader fetches only
 * when a page needs them. One list for the build, the front door's deployment and the local server.
 */
export const HASHED_CHUNKS = ['rapport', 'rapport-ui', 'rapport-triggers', 'rapport-debug'] as const;

export type ChunkName = (typeof HASHED_CHUNKS)[number];

/** `rapport-ui` + bytes' hash → `rapport-ui.0123456789ab.js`. */
export const hashedName = (chunk: ChunkName, hash: string) => `${chunk}.${hash}.js`;

/** Whether a file name is one of the content-hashed files. */
export const isHashedFile = (file: string) =>
  HASHED_CHUNKS.some((chunk) => new RegExp(`^${chunk}\\.[0-9a-f]{12}\\.js$`).test(file));

/** The same files as S3 deployment globs (`?` one character). */
export const hashedGlobs = HASHED_CHUNKS.map((chunk) => hashedName(chunk, '?'.repeat(12)));
