/**
 * README's "Layout" block matches the tree: every folder it names exists, every top-level folder and
 * every folder under `functions/` has a line, and where a line lists subfolders (`customers/, surveys/`)
 * it lists all of them — so a new folder cannot appear without the map growing with it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const block = readme.split('## Layout')[1]?.split('```')[1] ?? '';
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f && existsSync(path.join(root, f)));
/** Tracked folders directly under `dir` ('' for the top level). */
const foldersUnder = (dir: string) =>
  [
    ...new Set(
      tracked
        .filter((f) => f.startsWith(dir))
        .map((f) => f.slice(dir.length).split('/'))
        .filter((parts) => parts.length > 1)
        .map((parts) => parts[0]),
    ),
  ].sort();

interface Entry {
  path: string;
  description: string;
}

/** Entries with their full paths: an indented name belongs to the unindented folder above it. */
function entries(): Entry[] {
  const out: Entry[] = [];
  let parent = '';
  for (const line of block.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (!line.trim()) continue;
    if (indent > 2) {
      // A continuation of the line above.
      const last = out.at(-1);
      if (last) last.description += ` ${line.trim()}`;
      continue;
    }
    const [name = '', ...rest] = line.trim().split(/\s+/);
    const description = rest.join(' ');
    if (indent === 0) {
      parent = name.endsWith('/') ? name : '';
      out.push({ path: name, description });
    } else {
      out.push({ path: parent + name, description });
    }
  }
  return out;
}

describe("README's layout", () => {
  const all = entries();
  const paths = all.map((e) => e.path);

  it('names only paths that exist', () => {
    expect(all.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !existsSync(path.join(root, p)))).toEqual([]);
  });

  it('has a line for every top-level folder and every folder under functions/', () => {
    const wanted = [
      ...foldersUnder('').map((d) => `${d}/`),
      ...foldersUnder('functions/').map((d) => `functions/${d}/`),
    ].filter((d) => d !== '.ci/');
    expect(wanted.filter((d) => !paths.includes(d))).toEqual([]);
  });

  it('lists every subfolder where a line lists subfolders', () => {
    const missing: string[] = [];
    for (const entry of all.filter((e) => e.path.endsWith('/'))) {
      const subfolders = foldersUnder(entry.path);
      const listed = [...entry.description.matchAll(/([\w-]+)\//g)].map((m) => m[1]);
      if (!listed.some((name) => name && subfolders.includes(name))) continue;
      for (const sub of subfolders) if (!listed.includes(sub)) missing.push(`${entry.path}${sub}/`);
    }
    expect(missing).toEqual([]);
  });
});
