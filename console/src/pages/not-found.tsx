/** A console path that names no page. */
import { t } from '../i18n/i18n';
import { Page } from '../ui/page';

export default function NotFound() {
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <a class="btn btn-primary" href="/">
        {t('nav.overview')}
      </a>
    </Page>
  );
}
