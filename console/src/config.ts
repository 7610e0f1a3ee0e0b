/** The console's runtime configuration (`/config.json`): where to sign in and where the API is. */
import type { ConsoleConfig } from '../config-schema';

export type { ConsoleConfig };

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
