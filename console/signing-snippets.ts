/**
 * The identity-signing examples the console shows are the ones docs/api.md documents: the build reads
 * the "Identity verification" section once and hands its Node.js and Python code blocks to the console
 * as the module `virtual:signing-snippets`, so there is one hand-maintained copy (the docs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

export interface SigningSnippets {
  readonly node: string;
  readonly python: string;
}

export const SIGNING_SNIPPETS_MODULE = 'virtual:signing-snippets';

/** The section's code blocks after the "Node.js:" and "Python:" lead-ins; throws when the docs lost one. */
export function signingSnippetsOf(markdown: string): SigningSnippets {
  const section = /^## Identity verification\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1];
  if (!section) throw new Error('docs/api.md has no "## Identity verification" section');
  const block = (lead: string, lang: string) => {
    const code = new RegExp(`^${lead}:\\n\\n\`\`\`${lang}\\n([\\s\\S]*?)\\n\`\`\`$`, 'm').exec(section)?.[1];
    if (!code) throw new Error(`docs/api.md "Identity verification" has no ${lead} example (\`\`\`${lang})`);
    return code;
  };
  return { node: block('Node\\.js', 'js'), python: block('Python', 'python') };
}

/** esbuild plugin: `import snippets from 'virtual:signing-snippets'` → the docs' examples, read at build time. */
export function signingSnippetsPlugin(docsFile: string): Plugin {
  return {
    name: 'signing-snippets',
    setup(build) {
      build.onResolve({ filter: /^virtual:signing-snippets$/ }, () => ({
        path: path.resolve(docsFile),
        namespace: 'signing-snippets',
      }));
      build.onLoad({ filter: /.*/, namespace: 'signing-snippets' }, (args) => ({
        contents: `export default ${JSON.stringify(signingSnippetsOf(readFileSync(args.path, 'utf8')))};`,
        loader: 'js',
        watchFiles: [args.path],
      }));
    },
  };
}
