/**
 * When a page cannot be shown — its code could not be loaded (offline) or it failed — the rest of the
 * console stays usable and the person gets a retry instead of a blank area.
 */
import { Component, type ComponentChildren } from 'preact';
import { t } from '../i18n/i18n';

export class PageErrorBoundary extends Component<{ children: ComponentChildren }, { failed: boolean }> {
  override state = { failed: false };

  override componentDidCatch(error: unknown): void {
    console.warn('rapport console: a page failed', error);
    this.setState({ failed: true });
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div class="notice notice-error" role="alert">
        <p>{t('error.page')}</p>
        <button type="button" class="btn btn-secondary" onClick={() => location.reload()}>
          {t('action.retry')}
        </button>
      </div>
    );
  }
}
