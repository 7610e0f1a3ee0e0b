/** Loads data for a page: loading, ready or failed (with the error), and a reload to retry. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, asApiError } from '../api/errors';

export type Load<T> =
  | { readonly state: 'loading'; readonly data?: T; reload(): void }
  | { readonly state: 'ready'; readonly data: T; reload(): void }
  | { readonly state: 'error'; readonly error: ApiError; readonly data?: T; reload(): void };

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Load<T> {
  const [state, setState] = useState<{ state: 'loading' | 'ready' | 'error'; data?: T; error?: ApiError }>({
    state: 'loading',
  });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const mine = ++latest.current;
    setState((s) => ({ state: 'loading', ...(s.data !== undefined ? { data: s.data } : {}) }));
    load().then(
      (data) => mine === latest.current && setState({ state: 'ready', data }),
      (error: unknown) =>
        mine === latest.current && setState((s) => ({ ...s, state: 'error', error: asApiError(error) })),
    );
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload } as Load<T>;
}
