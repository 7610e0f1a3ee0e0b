/**
 * The benches' way of calling the local API as an admin: a non-2xx answer is an error (a bench that
 * measured refusals would measure the wrong thing), the body comes back as text.
 */
import type { Runtime } from '../local/runtime';

export function adminCall(runtime: Runtime) {
  const headers = { authorization: `Bearer ${runtime.tokens.admin}`, 'content-type': 'application/json' };
  return async (method: string, path: string, body?: unknown): Promise<string> => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 200)}`);
    return text;
  };
}

/** The same, for calls whose answer is a JSON object. */
export function adminJsonCall(runtime: Runtime) {
  const call = adminCall(runtime);
  return async (method: string, path: string, body?: unknown) =>
    JSON.parse(await call(method, path, body)) as Record<string, unknown>;
}
