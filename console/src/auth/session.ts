/**
 * Sign-in with oidc-client-ts: OAuth 2.0 authorization code + PKCE against the user pool (Cognito's
 * managed login in AWS, the runtime's own issuer locally). Tokens and the sign-in state live in
 * sessionStorage — never localStorage — so they survive a reload of this tab and nothing else.
 * The access token is what the API gets; it is renewed with the refresh token before it expires and
 * whenever the API answers 401. When renewal is impossible the session is marked expired: the page
 * stays as it is (drafts are kept, see state/drafts.ts) and a dialog offers to sign in again, which
 * comes back to the same page.
 */
import { computed, signal } from '@preact/signals';
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig } from '../config';
import { locale } from '../i18n/i18n';

export type Role = 'admin' | 'analyst';

export interface Session {
  readonly subject: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

export const session = signal<Session | null>(null);
/** The API refused the token and it could not be renewed: sign in again (the page keeps its state). */
export const sessionExpired = signal(false);
export const isAdmin = computed(() => session.value?.roles.includes('admin') ?? false);

let manager: UserManager | undefined;
let logoutUrl: string | undefined;
let renewing: Promise<boolean> | undefined;

function rolesOf(user: User): Role[] {
  const groups = user.profile['cognito:groups'];
  const list = Array.isArray(groups) ? groups.map(String) : [];
  return list.filter((g): g is Role => g === 'admin' || g === 'analyst');
}

function adopt(user: User | null): void {
  if (!user || user.expired) {
    session.value = null;
    return;
  }
  const email = typeof user.profile.email === 'string' ? user.profile.email : undefined;
  const username = user.profile['cognito:username'];
  session.value = {
    subject: user.profile.sub,
    name: email ?? (typeof username === 'string' ? username : user.profile.sub),
    roles: rolesOf(user),
  };
  sessionExpired.value = false;
}

interface ReturnState {
  readonly returnTo: string;
}

/**
 * Sets up the client, finishes a sign-in that is coming back from the identity provider, or resumes
 * the session of this tab (renewing an expired access token with the refresh token).
 */
export async function initAuth(config: ConsoleConfig): Promise<void> {
  const store = new WebStorageStateStore({ store: window.sessionStorage, prefix: 'rapport.oidc.' });
  manager = new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    redirect_uri: config.oidc.redirectUri,
    post_logout_redirect_uri: config.oidc.postLogoutRedirectUri,
    scope: config.oidc.scope,
    response_type: 'code',
    userStore: store,
    stateStore: store,
    automaticSilentRenew: true,
    loadUserInfo: false,
    monitorSession: false,
  });
  logoutUrl = config.oidc.logoutUrl;
  manager.events.addUserLoaded((user) => adopt(user));
  manager.events.addUserUnloaded(() => adopt(null));

  const url = new URL(location.href);
  if (url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'))) {
    try {
      const user = await manager.signinCallback();
      adopt(user ?? null);
      const returnTo = (user?.state as ReturnState | undefined)?.returnTo ?? '/';
      history.replaceState(null, '', returnTo.startsWith('/') ? returnTo : '/');
    } catch (error) {
      history.replaceState(null, '', '/');
      throw error;
    }
    return;
  }
  const user = await manager.getUser();
  if (user && !user.expired) adopt(user);
  else if (user?.refresh_token) await renew();
}

/** Off to the identity provider; back to `returnTo` (this page by default) once signed in. */
export async function signIn(returnTo = location.pathname + location.search + location.hash): Promise<void> {
  const state: ReturnState = { returnTo };
  await manager?.signinRedirect({ state, ui_locales: locale.value, extraQueryParams: { lang: locale.value } });
}

export async function signOut(): Promise<void> {
  if (!manager) return;
  try {
    await manager.revokeTokens(['refresh_token']);
  } catch {
    // the provider may not offer revocation; the tokens are forgotten below all the same
  }
  await manager.removeUser();
  // Cognito's discovery document has no end_session_endpoint: its /logout ends the managed-login session.
  if (logoutUrl) location.assign(logoutUrl);
  else await manager.signoutRedirect();
}

/** Renews the access token with the refresh token; false when the session cannot be renewed. */
export function renew(): Promise<boolean> {
  renewing ??= (async () => {
    try {
      // Only with a refresh token: a silent renew through a hidden frame would need the identity
      // provider's pages to be framed, which its CSP (frame-ancestors 'none') rightly forbids.
      if (!(await manager?.getUser())?.refresh_token) return false;
      const user = await manager?.signinSilent();
      adopt(user ?? null);
      return !!user && !user.expired;
    } catch {
      return false;
    } finally {
      renewing = undefined;
    }
  })();
  return renewing;
}

/** The access token for the API, renewed first when it has expired. */
export async function accessToken(): Promise<string | undefined> {
  const user = await manager?.getUser();
  if (user && !user.expired) return user.access_token;
  if (user?.refresh_token && (await renew())) return (await manager?.getUser())?.access_token;
  return undefined;
}
