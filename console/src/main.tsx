/**
 * The console's entry: reads /config.json, sets up sign-in and the API client, then renders. Pages
 * and charts are loaded on demand (see app.tsx), so this first load stays small.
 */
import './styles.css';
import './trust/trust.css';
import { render } from 'preact';
import { configureApi } from './api/client';
import { App } from './app';
import { initAuth } from './auth/session';
import { loadConfig } from './config';
import { t } from './i18n/i18n';

async function start(root: HTMLElement): Promise<void> {
  let authError: unknown;
  try {
    const config = await loadConfig();
    configureApi(config.apiBase);
    try {
      await initAuth(config);
    } catch (error) {
      authError = error;
    }
  } catch {
    render(
      <main class="boot-error">
        <h1>Rapport</h1>
        <p role="alert">{t('boot.noConfig')}</p>
        <button type="button" class="btn btn-primary" onClick={() => location.reload()}>
          {t('action.retry')}
        </button>
      </main>,
      root,
    );
    return;
  }
  root.textContent = '';
  render(<App signInFailed={authError !== undefined} />, root);
}

const root = document.getElementById('app');
if (root) void start(root);
