/**
 * The local identity provider's sign-in page (its `/oauth2/authorize`): where Cognito's managed login
 * asks for a password and an MFA code, this page lets a developer pick who to be — an admin or an
 * analyst — in English or Chinese. A plain form, no inline script or style: it is served under a
 * strict CSP like every page of the runtime.
 */
import { escapeHtml } from './html';

export type LoginLocale = 'en' | 'zh-CN';

const TEXT = {
  en: {
    title: 'Sign in to Rapport',
    lead: 'Local sign-in: choose who you are. In AWS this is the Cognito sign-in page, with a password and MFA.',
    admin: 'Admin',
    adminHint: 'Reads and changes everything: surveys, customers, follow-ups.',
    analyst: 'Analyst',
    analystHint: 'Reads surveys, results and customers; changes nothing.',
    other: '中文',
    error: 'This sign-in request cannot be completed',
  },
  'zh-CN': {
    title: '登录 Rapport',
    lead: '本地登录：请选择身份。在 AWS 中这是 Cognito 登录页面，需要密码和多重身份验证。',
    admin: '管理员',
    adminHint: '可查看和修改所有内容：问卷、客户、跟进任务。',
    analyst: '分析员',
    analystHint: '可查看问卷、结果和客户，不能修改。',
    other: 'English',
    error: '无法完成此登录请求',
  },
} as const satisfies Record<LoginLocale, Record<string, string>>;

/** `lang` (Cognito's parameter), then OIDC's `ui_locales`, then the browser's languages. */
export function loginLocale(query: URLSearchParams, acceptLanguage: string | undefined): LoginLocale {
  const wanted = [query.get('lang'), ...(query.get('ui_locales') ?? '').split(' '), acceptLanguage ?? '']
    .filter((v): v is string => !!v)
    .join(',')
    .toLowerCase();
  const first = wanted.split(',')[0]?.trim() ?? '';
  return first.startsWith('zh') ? 'zh-CN' : 'en';
}

function shell(locale: LoginLocale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/oauth2/login.css">
</head>
<body>
<main class="card">
<p class="brand" aria-hidden="true">Rapport</p>
${body}
</main>
</body>
</html>
`;
}

/** The page that asks who to sign in as; `params` are the authorization request's, passed on as hidden fields. */
export function loginPage(locale: LoginLocale, params: URLSearchParams): string {
  const t = TEXT[locale];
  const hidden = [...params]
    .filter(([name]) => name !== 'user')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const switchParams = new URLSearchParams(params);
  switchParams.set('lang', locale === 'en' ? 'zh-CN' : 'en');
  const choice = (user: 'admin' | 'analyst', label: string, hint: string) =>
    `<button type="submit" name="user" value="${user}" aria-describedby="${user}-hint"><span class="who">${escapeHtml(label)}</span><span class="hint" id="${user}-hint">${escapeHtml(hint)}</span></button>`;
  return shell(
    locale,
    t.title,
    `<h1>${escapeHtml(t.title)}</h1>
<p class="lead">${escapeHtml(t.lead)}</p>
<form method="post" action="/oauth2/authorize">
${hidden}
${choice('admin', t.admin, t.adminHint)}
${choice('analyst', t.analyst, t.analystHint)}
</form>
<p class="lang"><a href="/oauth2/authorize?${escapeHtml(switchParams.toString())}" lang="${locale === 'en' ? 'zh-CN' : 'en'}">${escapeHtml(t.other)}</a></p>`,
  );
}

/** A request the provider cannot redirect back (unknown client or redirect URI): said on the page. */
export function loginErrorPage(locale: LoginLocale, detail: string): string {
  const t = TEXT[locale];
  return shell(locale, t.error, `<h1>${escapeHtml(t.error)}</h1>\n<p class="lead">${escapeHtml(detail)}</p>`);
}

export const loginCss = `*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f3f5f9;padding:16px}
.card{width:100%;max-width:420px;background:#fff;border:1px solid #dde2ea;border-radius:14px;padding:28px 24px;box-shadow:0 8px 30px rgba(20,32,60,.08)}
.brand{margin:0 0 12px;font-weight:700;color:#2457d6;letter-spacing:.02em}
h1{font-size:22px;margin:0 0 8px}
.lead{margin:0 0 20px;color:#4b5563;font-size:15px}
form{display:grid;gap:12px}
button{display:grid;gap:2px;text-align:left;width:100%;padding:14px 16px;border:1px solid #c9d1de;border-radius:10px;background:#fff;color:inherit;font:inherit;cursor:pointer}
button:hover{border-color:#2457d6;background:#f5f8ff}
button:focus-visible{outline:3px solid #2457d6;outline-offset:2px}
.who{font-weight:600}
.hint{font-size:14px;color:#4b5563}
.lang{margin:20px 0 0;font-size:14px}
a{color:#1d4ac0}
`;
