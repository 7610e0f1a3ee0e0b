/**
 * Where the repository and its local data live. Resolved from this file rather than `process.cwd()`
 * so `npm start`, vitest and a script run from another directory all agree on `.data/`.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const defaultDataDir = path.join(repoRoot, '.data');
