/**
 * Serves the built console (console/dist, `npm run build:console`) as CloudFront does in AWS: the
 * content-hashed files under `/assets/` cached for a year, `/config.json` with this runtime's OIDC
 * values, and every other path that does not name a file answered with index.html (the console
 * routes in the browser), all under the console's security headers.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConsoleConfig } from '../console/config-schema';
import { consoleSecurityHeaders } from '../console/security-headers';
import type { StaticRoutes } from './gateway';
import { type GatewayResponse, problem } from './problem';
import { repoRoot } from './repo-paths';

export const CONSOLE_DIST = path.join(repoRoot, 'console', 'dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

const NOT_CONSOLE = /^\/(v1|widget|oauth2|\.well-known)(\/|$)/;

export interface ConsoleSiteOptions {
  readonly config: () => ConsoleConfig;
  readonly distDir?: string;
}

export function createConsoleSite(options: ConsoleSiteOptions): StaticRoutes {
  const distDir = options.distDir ?? CONSOLE_DIST;
  const headers = () => consoleSecurityHeaders([new URL(options.config().oidc.authority).origin]);
  return async (method, rawPath) => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (rawPath === '/config.json') {
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
        body: Buffer.from(JSON.stringify(options.config())),
      };
    }
    const asset = /^\/assets\/([A-Za-z0-9._-]+)$/.exec(rawPath)?.[1];
    if (asset !== undefined) {
      if (asset.startsWith('.')) return undefined;
      try {
        return {
          statusCode: 200,
          headers: {
            'content-type': TYPES[path.extname(asset)] ?? 'application/octet-stream',
            'cache-control': 'public, max-age=31536000, immutable',
            'x-content-type-options': 'nosniff',
          },
          body: await readFile(path.join(distDir, 'assets', asset)),
        };
      } catch {
        return undefined;
      }
    }
    // A path whose last segment names a file is a missing file, not a console page; and the API's
    // and the widget's paths are theirs (CloudFront routes them to other origins).
    const last = rawPath.split('/').at(-1) ?? '';
    if (last.includes('.') || NOT_CONSOLE.test(rawPath)) return undefined;
    return indexHtml(distDir, headers());
  };
}

async function indexHtml(distDir: string, headers: Record<string, string>): Promise<GatewayResponse> {
  try {
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...headers },
      body: await readFile(path.join(distDir, 'index.html')),
    };
  } catch {
    return problem(
      503,
      'console-not-built',
      'Console not built',
      'console/dist/index.html does not exist: run `npm run build:console` (npm start does it)',
    );
  }
}
