/**
 * The docs stand alone: every `docs/<file>.md` a comment or a doc names exists, every
 * `docs/<file>.md §n` names a section that exists, every relative Markdown link resolves (file and
 * heading), and every repository path a doc shows in backticks is really there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f && existsSync(path.join(root, f)) && statSync(path.join(root, f)).isFile())
  .filter((f) => /\.(ts|tsx|md|css|html)$/.test(f));
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const headingsOf = (file: string) =>
  read(file)
    .split('\n')
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) => l.replace(/^#{1,6} /, ''));
/** Explicit HTML anchors (`<a id="…"></a>`) are link targets too. */
const anchorsOf = (file: string) => [...read(file).matchAll(/<a id="([\w-]+)">/g)].map((m) => m[1]);

describe('documentation references', () => {
  it('every docs/<file>.md named anywhere exists, and every § names a section of it', () => {
    const broken: string[] = [];
    for (const file of tracked) {
      for (const m of read(file).matchAll(/docs\/([\w-]+)\.md(?:\s*§(\d+))?/g)) {
        const doc = `docs/${m[1]}.md`;
        if (!existsSync(path.join(root, doc))) broken.push(`${file}: ${m[0]} (no such file)`);
        else if (m[2] && !headingsOf(doc).some((h) => h.startsWith(`${m[2]}. `)))
          broken.push(`${file}: ${m[0]} (no section ${m[2]})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every relative Markdown link resolves to a file and, with #anchor, to a heading', () => {
    const broken: string[] = [];
    for (const file of tracked.filter((f) => f.endsWith('.md'))) {
      for (const m of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] ?? '';
        if (/^[a-z]+:/i.test(target)) continue;
        const [rel = '', anchor] = target.split('#');
        const resolved = rel ? path.join(path.dirname(file), rel) : file;
        if (!existsSync(path.join(root, resolved))) {
          broken.push(`${file}: ${target} (no such file)`);
          continue;
        }
        if (
          anchor &&
          resolved.endsWith('.md') &&
          !headingsOf(resolved).some((h) => slug(h) === anchor) &&
          !anchorsOf(resolved).includes(anchor)
        )
          broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every repository path shown in backticks in the docs exists', () => {
    const broken: string[] = [];
    const docs = tracked.filter((f) => f.endsWith('.md'));
    for (const file of docs) {
      for (const m of read(file).matchAll(
        /`((?:functions|infra|local|widget|console|test|bench|docs|scripts)\/[\w./-]*)`/g,
      )) {
        const p = (m[1] ?? '').replace(/\/$/, '');
        // Build output and data directories exist only after a build or a run.
        if (/(^|\/)(dist|\.data|cdk\.out|node_modules)(\/|$)/.test(p)) continue;
        if (!existsSync(path.join(root, p))) broken.push(`${file}: ${p}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
