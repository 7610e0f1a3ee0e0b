/**
 * The repository's import graph, read from the source text: every `import … from`, `export … from`,
 * side-effect `import '…'`, dynamic `import('…')` and `require('…')` of every `.ts`/`.tsx` file git
 * knows (tracked or new, not ignored), relative specifiers resolved to repository paths. A small
 * scanner, not a compiler: enough for imports, which Biome keeps at the top of every file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface ImportRef {
  /** As written: `../domain/errors`, `zod`, `node:crypto`. */
  readonly specifier: string;
  /** 1-based line of the specifier in the importing file. */
  readonly line: number;
}

export interface Edge extends ImportRef {
  /** Repository path of the importing file, `/`-separated. */
  readonly from: string;
  /** Repository path of the imported file, for relative specifiers; undefined for packages. */
  readonly to: string | undefined;
}

/** A source file as the import patterns read it. */
export interface Scanned {
  /** The source with comments blanked (newlines kept, so line numbers stay), strings and code untouched. */
  readonly code: string;
  /** Where string and template literals are, [start, end) with their quotes: no import starts inside one. */
  readonly strings: readonly (readonly [number, number])[];
}

export function scan(source: string): Scanned {
  let code = '';
  const strings: [number, number][] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      code += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      code += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      // A quote or apostrophe string ends at its line's end at the latest, so a stray quote (in a
      // regular expression literal, say) cannot swallow more than its line.
      let j = i + 1;
      while (j < source.length && source[j] !== c && (c === '`' || source[j] !== '\n')) {
        j += source[j] === '\\' ? 2 : 1;
      }
      code += source.slice(i, j + 1);
      strings.push([i, j + 1]);
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings };
}

const STATIC = /(?:^|[;\n])[ \t]*(?:import|export)\s+(?:type\s+)?[\w$\s{},*]+?\s*from\s*(['"])([^'"\n]+)\1/g;
const SIDE_EFFECT = /(?:^|[;\n])[ \t]*import\s*(['"])([^'"\n]+)\1/g;
const CALL = /\b(?:import|require)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** Every module specifier the source imports or re-exports, in order of appearance. */
export function importsOf(source: string): ImportRef[] {
  const { code, strings } = scan(source);
  const inString = (index: number) => strings.some(([start, end]) => start <= index && index < end);
  const found: { specifier: string; index: number }[] = [];
  for (const pattern of [STATIC, SIDE_EFFECT, CALL]) {
    for (const m of code.matchAll(pattern)) {
      const specifier = m[2] ?? '';
      // Text that only looks like an import, inside a string or a template (generated code, test fixtures).
      if (inString((m.index ?? 0) + m[0].search(/import|export|require/))) continue;
      // The index of the specifier itself: the match may begin at the previous line's end.
      found.push({ specifier, index: (m.index ?? 0) + m[0].lastIndexOf(specifier) });
    }
  }
  return found
    .sort((a, b) => a.index - b.index)
    .map(({ specifier, index }) => ({ specifier, line: code.slice(0, index).split('\n').length }));
}

/** Source files git knows (tracked, or new and not ignored), as repository paths. */
export function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.tsx?$/.test(f) && existsSync(path.join(root, f)) && statSync(path.join(root, f)).isFile());
}

const CANDIDATE_SUFFIXES = ['', '.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx'];

/**
 * The file a relative specifier names, as TypeScript's bundler resolution finds it (extension left
 * out, `.js` standing for `.ts`, or a folder's index); undefined if there is none.
 */
export function resolveRelative(from: string, specifier: string): string | undefined {
  const bare = specifier.replace(/\?.*$/, '');
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), bare));
  const bases = /\.jsx?$/.test(base) ? [base, base.replace(/\.js(x?)$/, '.ts$1')] : [base];
  for (const b of bases) {
    for (const suffix of CANDIDATE_SUFFIXES) {
      const candidate = b + suffix;
      const absolute = path.join(root, candidate);
      if (existsSync(absolute) && statSync(absolute).isFile()) return candidate;
    }
  }
  return undefined;
}

/** Every import of every given file. */
export function importGraph(files: readonly string[]): Edge[] {
  return files.flatMap((from) =>
    importsOf(readFileSync(path.join(root, from), 'utf8')).map((ref) => ({
      ...ref,
      from,
      to: ref.specifier.startsWith('.') ? resolveRelative(from, ref.specifier) : undefined,
    })),
  );
}

/** `from:line → specifier (to)`, how the tests print an arrow. */
export const describeEdge = (e: Edge): string =>
  `${e.from}:${e.line} → ${e.specifier}${e.to && e.to !== e.specifier ? ` (${e.to})` : ''}`;

/**
 * Every import cycle among the files under `within`, each as `a → b → … → a`: one per strongly
 * connected component (Tarjan), so a tangle of many cycles is reported once.
 */
export function cyclesOf(edges: readonly Edge[], within: string): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!e.from.startsWith(within) || !e.to?.startsWith(within)) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (next.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((component) => cycleThrough(component, next).join(' → '));
}

/** One cycle inside a strongly connected component, from its first file (sorted) back to it. */
function cycleThrough(component: readonly string[], next: ReadonlyMap<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0] ?? '';
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() ?? '';
    for (const w of next.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = cameFrom.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component, start];
}
