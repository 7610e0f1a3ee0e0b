/**
 * Messages in the page: information, warnings, and failed loads explained by what the person can do
 * (offline → retry; no permission → which role can; gone → it was removed).
 */
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/errors';
import { t } from '../i18n/i18n';

export function Notice({
  tone = 'info',
  children,
  role,
}: {
  tone?: 'info' | 'warn' | 'error' | 'success';
  children: ComponentChildren;
  role?: 'status' | 'alert';
}) {
  return (
    <div class={`notice notice-${tone}`} role={role}>
      {children}
    </div>
  );
}

export function explain(error: ApiError): string {
  switch (error.kind) {
    case 'network':
      return t('error.network');
    case 'forbidden':
      return t('error.forbidden');
    case 'unauthorized':
      return t('error.unauthorized');
    case 'not-found':
      return t('error.notFound');
    case 'unavailable':
      return t('error.unavailable');
    case 'server':
      return t('error.server');
    default:
      return error.problem?.detail ?? error.message;
  }
}

export function LoadError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const retryable = error.kind === 'network' || error.kind === 'unavailable' || error.kind === 'server';
  return (
    <Notice tone="error" role="alert">
      <p>{explain(error)}</p>
      {error.kind === 'invalid' && error.problem?.errors?.length ? (
        <ul>
          {error.problem.errors.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {retryable && onRetry && (
        <button type="button" class="btn btn-secondary" onClick={onRetry}>
          {t('action.retry')}
        </button>
      )}
    </Notice>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('state.loading')}
    </p>
  );
}
