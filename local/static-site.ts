/**
 * What the local gateway serves besides the API: the demo page at `/` and the built widget under
 * `/widget/*` (from widget/dist; `npm start` builds it first). Pages carry the strict CSP the widget
 * promises to work under: `default-src 'self'` plus the API's origin for connect-src.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { demoCss, demoPage } from './demo-page';
import type { StaticRoutes } from './gateway';
import { type GatewayResponse, problem } from './problem';
import { repoRoot } from './repo-paths';

export const WIDGET_DIST = path.join(repoRoot, 'widget', 'dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export const strictCsp = (apiOrigin: string) =>
  `default-src 'self'; connect-src 'self' ${apiOrigin}; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'`;

export const page = (html: string, headers: Record<string, string> = {}): GatewayResponse => ({
  statusCode: 200,
  headers: { 'content-type': TYPES['.html']!, 'cache-control': 'no-store', ...headers },
  body: Buffer.from(html),
});

export interface StaticSiteOptions {
  /** The gateway's own URL (the API the demo page embeds). */
  readonly apiUrl: () => string;
  readonly demoSurveyId: () => string | undefined;
  readonly widgetDir?: string;
}

export function createStaticSite(options: StaticSiteOptions): StaticRoutes {
  const widgetDir = options.widgetDir ?? WIDGET_DIST;
  return async (method, rawPath) => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const apiUrl = options.apiUrl();
    if (rawPath === '/' || rawPath === '/index.html') {
      return page(demoPage({ surveyId: options.demoSurveyId(), apiUrl }), {
        'content-security-policy': strictCsp(new URL(apiUrl).origin),
      });
    }
    if (rawPath === '/demo.css')
      return {
        statusCode: 200,
        headers: { 'content-type': TYPES['.css']!, 'cache-control': 'no-store' },
        body: Buffer.from(demoCss),
      };
    const match = /^\/widget\/([A-Za-z0-9._-]+)$/.exec(rawPath);
    if (!match || match[1]!.startsWith('.')) return undefined;
    const file = match[1]!;
    try {
      const body = await readFile(path.join(widgetDir, file));
      const hashed = /^rapport\.[0-9a-f]{12}\.js$/.test(file);
      return {
        statusCode: 200,
        headers: {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
          'access-control-allow-origin': '*',
        },
        body,
      };
    } catch {
      return problem(404, 'not-found', 'Not found', `widget/dist/${file} does not exist: run \`npm run build:widget\``);
    }
  };
}
