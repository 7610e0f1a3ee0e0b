import { fileURLToPath } from 'node:url';

/** Repository root (holds package-lock.json, functions/, infra/). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Absolute path of a file under the repository root. */
export function fromRoot(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}
