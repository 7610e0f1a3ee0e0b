/**
 * The console's frame: sign-in screen or the signed-in shell (navigation, language switch, who is
 * signed in with which role), the page router with one lazily loaded chunk per page, and the dialog
 * that asks to sign in again when the session has ended without leaving the page.
 */

import { useState } from 'preact/hooks';
import { LocationProvider, lazy, Route, Router, useLocation } from 'preact-iso';
import { api, call } from './api/client';
import { asApiError } from './api/errors';
import { isAdmin, session, sessionExpired, signIn, signOut } from './auth/session';
import { LOCALES, locale, setLocale, t } from './i18n/i18n';
import { Badge } from './ui/badge';
import { Dialog } from './ui/dialog';
import { download } from './ui/download';
import { explain, Notice } from './ui/notice';
import { PageErrorBoundary } from './ui/page-error';
import { Toasts, toast } from './ui/toasts';

const Overview = lazy(() => import('./pages/overview'));
const SurveyEditor = lazy(() => import('./pages/survey-editor'));
const Results = lazy(() => import('./pages/results'));
const FollowUps = lazy(() => import('./pages/followups'));
const Customers = lazy(() => import('./pages/customers'));
const CustomerDetail = lazy(() => import('./pages/customer-detail'));
const CustomerImport = lazy(() => import('./pages/customer-import'));
const Quality = lazy(() => import('./pages/quality'));
const Audit = lazy(() => import('./pages/audit'));
const Identity = lazy(() => import('./pages/identity'));
const Webhooks = lazy(() => import('./pages/webhooks'));
const SiteSettings = lazy(() => import('./pages/site-settings'));
const NotFound = lazy(() => import('./pages/not-found'));

function LanguageSwitch() {
  return (
    <fieldset class="lang-switch">
      <legend class="sr-only">{t('lang.label')}</legend>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale.value === l}
          class={locale.value === l ? 'active' : ''}
          onClick={() => setLocale(l)}
        >
          {l === 'en' ? 'English' : '中文'}
        </button>
      ))}
    </fieldset>
  );
}

/** The API's OpenAPI document (it needs a token, so it is fetched rather than linked). */
async function downloadOpenApi(): Promise<void> {
  try {
    const { data } = await call(() => api.GET('/v1/openapi.json'));
    download('rapport-openapi.json', JSON.stringify(data, null, 2), 'application/json');
  } catch (error) {
    toast(explain(asApiError(error)), 'error');
  }
}

function SignInScreen({ failed }: { failed: boolean }) {
  return (
    <main class="signin">
      <div class="signin-card">
        <p class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Rapport
        </p>
        <h1>{t('signin.title')}</h1>
        <p>{t('signin.lead')}</p>
        {failed && <Notice tone="error">{t('signin.failed')}</Notice>}
        <button type="button" class="btn btn-primary btn-large" onClick={() => void signIn()}>
          {t('signin.button')}
        </button>
        <LanguageSwitch />
      </div>
    </main>
  );
}

const NAV = [
  { href: '/', key: 'nav.overview', match: (p: string) => p === '/' || p.startsWith('/surveys') },
  { href: '/followups', key: 'nav.followups', match: (p: string) => p.startsWith('/followups') },
  {
    href: '/customers',
    key: 'nav.customers',
    match: (p: string) => p.startsWith('/customers') && !p.startsWith('/customers/quality'),
  },
  { href: '/customers/quality', key: 'nav.quality', match: (p: string) => p.startsWith('/customers/quality') },
  { href: '/identity', key: 'nav.identity', match: (p: string) => p.startsWith('/identity') },
  { href: '/audit', key: 'nav.audit', match: (p: string) => p.startsWith('/audit') },
  { href: '/webhooks', key: 'nav.webhooks', match: (p: string) => p.startsWith('/webhooks') },
  { href: '/settings', key: 'nav.site', match: (p: string) => p.startsWith('/settings') },
] as const;

function Shell() {
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const who = session.value;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href="/">
          <span class="brand-mark" aria-hidden="true" />
          Rapport
        </a>
        <button
          type="button"
          class="menu-btn"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('nav.menu')}
        </button>
        <div class={`topbar-tools${menuOpen ? ' open' : ''}`}>
          <LanguageSwitch />
          {who && (
            <span class="who">
              <span class="who-name">{who.name}</span>
              <Badge tone={isAdmin.value ? 'info' : 'neutral'}>
                {isAdmin.value ? t('role.admin') : t('role.analyst')}
              </Badge>
            </span>
          )}
          <button type="button" class="btn btn-ghost" onClick={() => void signOut()}>
            {t('action.signOut')}
          </button>
        </div>
      </header>
      <nav id="main-nav" class={`sidenav${menuOpen ? ' open' : ''}`} aria-label={t('nav.label')}>
        <ul>
          {NAV.map((item) => (
            <li key={item.href}>
              <a
                href={item.href}
                aria-current={item.match(path) ? 'page' : undefined}
                onClick={() => setMenuOpen(false)}
              >
                {t(item.key)}
              </a>
            </li>
          ))}
        </ul>
        {!isAdmin.value && <p class="nav-note">{t('role.readOnlyNote')}</p>}
        <button type="button" class="link nav-api" onClick={() => void downloadOpenApi()}>
          {t('nav.openapi')}
        </button>
      </nav>
      <main id="main" class="main">
        <PageErrorBoundary key={path}>
          <Router>
            <Route path="/" component={Overview} />
            <Route path="/surveys/new" component={SurveyEditor} />
            <Route path="/surveys/:id/edit" component={SurveyEditor} />
            <Route path="/surveys/:id" component={Results} />
            <Route path="/followups" component={FollowUps} />
            <Route path="/customers" component={Customers} />
            <Route path="/customers/new" component={CustomerDetail} />
            <Route path="/customers/import" component={CustomerImport} />
            <Route path="/customers/quality" component={Quality} />
            <Route path="/customers/:id" component={CustomerDetail} />
            <Route path="/identity" component={Identity} />
            <Route path="/audit" component={Audit} />
            <Route path="/webhooks" component={Webhooks} />
            <Route path="/settings" component={SiteSettings} />
            <Route default component={NotFound} />
          </Router>
        </PageErrorBoundary>
      </main>
      <Dialog
        open={sessionExpired.value}
        title={t('session.expiredTitle')}
        onClose={() => {
          // Dismissed (Escape): the next refused request asks again.
          sessionExpired.value = false;
        }}
      >
        <div class="stack">
          <p>{t('session.expiredBody')}</p>
          <div class="row end">
            <button type="button" class="btn btn-primary" onClick={() => void signIn()}>
              {t('signin.again')}
            </button>
          </div>
        </div>
      </Dialog>
      <Toasts />
    </div>
  );
}

export function App({ signInFailed }: { signInFailed: boolean }) {
  if (!session.value) return <SignInScreen failed={signInFailed} />;
  return (
    <LocationProvider>
      <Shell />
    </LocationProvider>
  );
}
