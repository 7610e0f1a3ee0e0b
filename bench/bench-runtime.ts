/**
 * The local runtime as every bench starts it: in memory (no data directory), demo data seeded, on a
 * free port, quiet, handlers' logs silenced; a bench adds or overrides what it needs.
 */
import { type Runtime, type RuntimeOptions, startRuntime } from '../local/runtime';

export function startBenchRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  return startRuntime({
    port: 0,
    dataDir: null,
    seed: true,
    quiet: true,
    ...options,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', ...options.env },
  });
}
