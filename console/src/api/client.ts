/**
 * The typed API client: openapi-fetch over the types openapi-typescript generates from
 * docs/openapi.json (api/schema.d.ts), so every path, parameter and body is checked against the API
 * itself. A middleware adds the access token. `call()` turns outcomes into what a person can act on:
 * a 401 renews the token and retries once, then marks the session expired (the page keeps its
 * state); a network failure becomes a retryable error; problem+json becomes an ApiError carrying
 * its field errors.
 */
import createClient from 'openapi-fetch';
import { accessToken, renew, sessionExpired } from '../auth/session';
import { ApiError, type Problem } from './errors';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

let base = '';
export const api = createClient<paths>({ baseUrl: '' });

export function configureApi(apiBase: string): void {
  base = apiBase.replace(/\/+$/, '');
  api.use({
    async onRequest({ request }) {
      const token = await accessToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      if (!base) return request;
      const url = new URL(request.url);
      return new Request(`${base}${url.pathname}${url.search}`, request);
    },
  });
}

/** Absolute URL of an API path (for fetches openapi-fetch does not make, e.g. uploads with progress). */
export const apiUrl = (path: string) => `${base}${path}`;

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Runs an openapi-fetch call with the console's rules for 401, network loss and problems. */
export async function call<T>(run: () => Promise<FetchResult<T>>): Promise<{ data: T; response: Response }> {
  let result: FetchResult<T>;
  try {
    result = await run();
    if (result.response.status === 401 && (await renew())) result = await run();
  } catch (error) {
    throw error instanceof ApiError ? error : new ApiError(0, undefined);
  }
  const { response } = result;
  if (response.status === 401) sessionExpired.value = true;
  if (!response.ok) throw new ApiError(response.status, result.error as Problem | undefined);
  return { data: result.data as T, response };
}

/** Headers for a request made outside openapi-fetch. */
export async function authHeaders(): Promise<Record<string, string>> {
  const token = await accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
