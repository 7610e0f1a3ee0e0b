/**
 * What the local gateway serves besides the API, in this order: the identity provider's endpoints
 * (`/.well-known/*`, `/oauth2/*`, `/logout`), the demo page at `/demo` (`?survey=<id>` embeds another
 * survey than the seeded one), the built widget under `/widget/*`, and the console at `/` with its
 * `/config.json` and SPA fallback. Pages carry a strict CSP with nothing inline.
 */
import path from 'node:path';
import type { ConsoleConfig } from '../console/config-schema';
import { createConsoleSite } from './console-site';
import { demoCss, demoPage } from './demo-page';
import type { StaticRoutes } from './gateway';
import type { LocalIdentityProvider } from './jwt';
import { createOidcProvider } from './oidc-provider';
import { type GatewayResponse, problem } from './problem';
import { repoRoot } from './repo-paths';
import { strictCsp } from './security-headers';
import { createWidgetFiles } from './widget-files';

export const WIDGET_DIST = path.join(repoRoot, 'widget', 'dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export const page = (html: string, headers: Record<string, string> = {}): GatewayResponse => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  },
  body: Buffer.from(html),
});

export interface StaticSiteOptions {
  /** The gateway's own URL (the API the demo page embeds, the console's origin). */
  readonly apiUrl: () => string;
  readonly demoSurveyId: () => string | undefined;
  readonly identityProvider: LocalIdentityProvider;
  /** Lifetime of the tokens the sign-in flow issues (tests shorten it). */
  readonly tokenLifetimeSeconds?: number;
  readonly widgetDir?: string;
  readonly consoleDir?: string;
}

/** The console's configuration for this runtime: same origin for the API and the identity provider. */
export function localConsoleConfig(url: string, clientId: string): ConsoleConfig {
  const home = `${url}/`;
  return {
    oidc: {
      authority: url,
      clientId,
      redirectUri: home,
      postLogoutRedirectUri: home,
      scope: 'openid email profile',
      logoutUrl: `${url}/logout?client_id=${encodeURIComponent(clientId)}&logout_uri=${encodeURIComponent(home)}`,
    },
    apiBase: '',
  };
}

export function createStaticSite(options: StaticSiteOptions): StaticRoutes {
  const widgetFiles = createWidgetFiles(options.widgetDir ?? WIDGET_DIST);
  const home = () => [`${options.apiUrl()}/`];
  const oidc = createOidcProvider({
    identityProvider: options.identityProvider,
    redirectUris: home,
    logoutUris: home,
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const consoleSite = createConsoleSite({
    config: () => localConsoleConfig(options.apiUrl(), options.identityProvider.clientId),
    ...(options.consoleDir ? { distDir: options.consoleDir } : {}),
  });
  const widget: StaticRoutes = async (method, rawPath, request) => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const match = /^\/widget\/([A-Za-z0-9._-]+)$/.exec(rawPath);
    const file = match?.[1];
    if (!file || file.startsWith('.')) return undefined;
    // Compressed as CloudFront serves it (brotli, else gzip), so local numbers match the real ones.
    const served = await widgetFiles.get(file, request.headers['accept-encoding']);
    if (!served) {
      return problem(404, 'not-found', 'Not found', `widget/dist/${file} does not exist: run \`npm run build:widget\``);
    }
    return {
      statusCode: 200,
      headers: {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': served.hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        'access-control-allow-origin': '*',
        vary: 'accept-encoding',
        ...(served.encoding ? { 'content-encoding': served.encoding } : {}),
      },
      body: served.body,
    };
  };
  const demo: StaticRoutes = async (method, rawPath, request) => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const apiUrl = options.apiUrl();
    if (rawPath === '/demo' || rawPath === '/demo/') {
      const surveyId = request.query.get('survey') || options.demoSurveyId();
      return page(demoPage({ surveyId, apiUrl }), {
        'content-security-policy': strictCsp({ connect: [new URL(apiUrl).origin] }),
      });
    }
    if (rawPath === '/demo.css')
      return {
        statusCode: 200,
        headers: { 'content-type': TYPES['.css'] ?? 'text/css', 'cache-control': 'no-store' },
        body: Buffer.from(demoCss),
      };
    return undefined;
  };
  return async (method, rawPath, request) =>
    (await oidc(method, rawPath, request)) ??
    (await demo(method, rawPath, request)) ??
    (await widget(method, rawPath, request)) ??
    consoleSite(method, rawPath, request);
}
