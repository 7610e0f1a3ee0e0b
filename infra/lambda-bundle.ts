/**
 * THE esbuild options of every Rapport Lambda bundle, in one place: the CDK constructs hand them to
 * NodejsFunction (which turns them into esbuild CLI flags), and `npm run bench` builds with
 * `esbuildOptionsFor`, the same flags through esbuild's API, so the bundles it measures are the ones
 * that deploy. No CDK import here: the bench loads this file without loading aws-cdk-lib.
 */
import type { BuildOptions } from 'esbuild';

/** ESM bundles still meet CommonJS dependencies that call `require`; give them one. */
const ESM_REQUIRE_SHIM = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * ESM, minified, source maps beside the bundle, Node 22, the AWS SDK inside the bundle (no externals).
 * The maps carry positions and names only, not the original sources (`sourcesContent: false`): stack
 * traces in the logs are mapped just the same, and `--enable-source-maps` reads the map at every cold
 * start, so a map a third the size (1.3 MB instead of 3.8 MB for the admin API) is parsed faster and
 * ships smaller.
 */
export const lambdaBundle = {
  format: 'esm',
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  externalModules: [],
} as const satisfies {
  format: 'esm' | 'cjs';
  target: string;
  minify: boolean;
  sourceMap: boolean;
  sourcesContent: boolean;
  mainFields: readonly string[];
  banner: string;
  externalModules: readonly string[];
};

/**
 * What NodejsFunction runs for `lambdaBundle`: `esbuild --bundle <entry> --target=… --platform=node
 * --format=… --outfile=… --minify --sourcemap --sources-content=false --banner:js=… --main-fields=…` (plus one `--external:`
 * per external module), as esbuild API options. `target` may be overridden only so a bench on an
 * older local Node can still load the output.
 */
export function esbuildOptionsFor(entry: string, outfile: string, target: string = lambdaBundle.target): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: lambdaBundle.format,
    target,
    minify: lambdaBundle.minify,
    sourcemap: lambdaBundle.sourceMap,
    sourcesContent: lambdaBundle.sourcesContent,
    banner: { js: lambdaBundle.banner },
    mainFields: [...lambdaBundle.mainFields],
    external: [...lambdaBundle.externalModules],
  };
}
