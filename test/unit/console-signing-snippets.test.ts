/**
 * The console's identity page shows docs/api.md's own signing examples, read by the build: they are
 * found in the real document, and a document that lost one fails the build rather than shipping an
 * empty example.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { signingSnippetsOf, signingSnippetsPlugin } from '../../console/signing-snippets';
import { repoRoot } from '../../local/repo-paths';

const API_DOC = path.join(repoRoot, 'docs', 'api.md');

describe('signing snippets for the console', () => {
  it('are the Node.js and Python examples of docs/api.md "Identity verification"', () => {
    const { node, python } = signingSnippetsOf(readFileSync(API_DOC, 'utf8'));
    expect(node).toContain("createHmac('sha256', secret).update(customerId).digest('hex')");
    expect(node).toContain('.setExpirationTime(');
    expect(python).toContain('hmac.new(secret.encode(), customer_id.encode(), hashlib.sha256).hexdigest()');
    expect(python).toContain('jwt.encode(');
    expect(node).not.toContain('```');
    expect(python).not.toContain('```');
  });

  it('refuses a document without the section or without one of the examples', () => {
    expect(() => signingSnippetsOf('# API\n\n## Surveys\n')).toThrow(/Identity verification/);
    const noPython = '## Identity verification\n\nNode.js:\n\n```js\nsign();\n```\n\n## Surveys\n';
    expect(() => signingSnippetsOf(noPython)).toThrow(/Python/);
  });

  it('reach the bundle as the module virtual:signing-snippets', async () => {
    const result = await build({
      stdin: { contents: "import s from 'virtual:signing-snippets'; console.log(s.node, s.python);", loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      logLevel: 'silent',
      plugins: [signingSnippetsPlugin(API_DOC)],
    });
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toContain('createHmac');
    expect(code).toContain('hashlib.sha256');
  });
});
