import type * as z from 'zod';
import type { FieldIssue } from './errors';

/** zod issues as problem `errors[]`: `path` is slash-separated (`rows/3/email`), prefixed with its part of the request. */
export function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('/');
    const message =
      i.code === 'unrecognized_keys'
        ? `unknown field(s) ${(i as { keys: string[] }).keys.join(', ')}: remove them`
        : i.message;
    return { path, message };
  });
}
