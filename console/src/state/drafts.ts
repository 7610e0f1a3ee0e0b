/**
 * What a person is typing survives a reload, an expired session and a sign-in round trip: forms keep
 * their in-progress values in sessionStorage (this tab only, gone when it closes) under a key per
 * form and record, and drop them once saved.
 */
import { useEffect, useState } from 'preact/hooks';

const PREFIX = 'rapport.draft.';

export function readDraft<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function writeDraft(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the draft lives as long as the page
  }
}

export function clearDraft(key: string): void {
  try {
    sessionStorage.removeItem(PREFIX + key);
  } catch {
    // nothing kept
  }
}

/**
 * useState that is kept as a draft: starts from the stored draft when there is one (`restored` is
 * then true), else from `initial`; every change is stored. `discard()` forgets it.
 */
export function useDraft<T>(key: string, initial: () => T) {
  const [state, setState] = useState<{ value: T; restored: boolean; dirty: boolean }>(() => {
    const stored = readDraft<T>(key);
    return stored === undefined
      ? { value: initial(), restored: false, dirty: false }
      : { value: stored, restored: true, dirty: true };
  });
  useEffect(() => {
    if (state.dirty) writeDraft(key, state.value);
  }, [key, state]);
  return {
    value: state.value,
    restored: state.restored,
    dirty: state.dirty,
    set: (next: T | ((current: T) => T)) =>
      setState((s) => ({
        value: typeof next === 'function' ? (next as (current: T) => T)(s.value) : next,
        restored: s.restored,
        dirty: true,
      })),
    /** Replaces the value without marking it as the person's edit (e.g. after a reload from the server). */
    reset: (value: T) => {
      clearDraft(key);
      setState({ value, restored: false, dirty: false });
    },
    discard: () => clearDraft(key),
  };
}
