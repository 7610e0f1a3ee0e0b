/** The import scanner the layer test stands on: it must find every form of import, and nothing in comments. */
import { describe, expect, it } from 'vitest';
import { importsOf, resolveRelative, scan } from './import-graph';

const specifiers = (source: string) => importsOf(source).map((i) => i.specifier);

describe('importsOf', () => {
  it('finds static, type-only, multi-line, re-export, side-effect, dynamic and require imports', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      'import {',
      '  c, // why c',
      '  /* and d */ type D,',
      "} from '../../c';",
      "import * as e from 'e-package';",
      "import f, { g } from './f';",
      "export * from './h';",
      "export { i, type I } from './i';",
      "import './side-effect.css?inline';",
      'async function later() {',
      "  const j = await import('./j');",
      "  return require('./k') as unknown;",
      '}',
    ].join('\n');
    expect(specifiers(source)).toEqual([
      './a',
      '../b',
      '../../c',
      'e-package',
      './f',
      './h',
      './i',
      './side-effect.css?inline',
      './j',
      './k',
    ]);
  });

  it('gives the line of each specifier', () => {
    expect(importsOf("// header\n\nimport {\n  a,\n} from './a';\nimport b from './b';").map((i) => i.line)).toEqual([
      5, 6,
    ]);
  });

  it('ignores imports in comments and strings, and is not fooled by comment markers in strings', () => {
    const source = [
      "// import { x } from '../adapters/x';",
      '/*',
      "import { y } from '../adapters/y';",
      '*/',
      " * import { z } from '../adapters/z';",
      "const url = 'https://example.com/*not a comment*/';",
      "import { w } from './w';",
      "export const value = 'x';",
      'const fixture = "import(\'../adapters/v\')";',
      'const generated = `',
      "import { u } from '../adapters/u';",
      '`;',
    ].join('\n');
    expect(specifiers(source)).toEqual(['./w']);
    expect(scan(source).code).toContain("'https://example.com/*not a comment*/'");
  });
});

describe('resolveRelative', () => {
  it('finds the file a specifier names: extension left out, a folder index, or a query after it', () => {
    expect(resolveRelative('functions/handlers/probe.ts', '../domain/errors')).toBe('functions/domain/errors.ts');
    expect(resolveRelative('functions/adapters/dynamodb/client.ts', '../../domain/statistics')).toBe(
      'functions/domain/statistics/index.ts',
    );
    expect(resolveRelative('functions/handlers/probe.ts', '../domain/no-such-file')).toBeUndefined();
  });
});
