/**
 * The demo page `npm start` serves at `/demo`: a survey (the seeded demo survey, or `?survey=<id>`)
 * inline in English and Chinese, and the same survey as a popover launched from a corner, so the
 * whole product can be tried in a browser. No inline script or style (it is served under a strict
 * CSP, like the pages the widget is meant for).
 */
import { escapeHtml } from './html';

export function demoPage(options: { surveyId: string | undefined; apiUrl: string }): string {
  const survey = options.surveyId ? escapeHtml(options.surveyId) : undefined;
  const api = escapeHtml(options.apiUrl);
  const body = survey
    ? `<p>Survey <code>${survey}</code>, inline below. The same survey also opens from the <strong>Feedback</strong> tab in the corner
  (loaded by the script tag's <code>data-survey</code>). Answers go to <code>POST ${api}/v1/surveys/${survey}/responses</code>; see them on
  the survey's Results page in the <a href="/">console</a>. Another survey: <code>/demo?survey=&lt;id&gt;</code> (it must be published and list this page's origin).</p>
  <rapport-survey survey="${survey}" api="${api}" mode="inline"></rapport-survey>
  <h2>中文</h2>
  <rapport-survey survey="${survey}" api="${api}" mode="inline" locale="zh-CN"></rapport-survey>
  <script src="/widget/rapport.js" data-survey="${survey}" data-api="${api}" async></script>`
    : `<p>No demo survey: the runtime was started without seeding.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<main>
  <h1>Rapport survey widget</h1>
  ${body}
</main>
</body>
</html>
`;
}

export const demoCss = `body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#222;background:#f6f7f9}
main{max-width:720px;margin:0 auto;padding:24px 16px 96px}
rapport-survey{margin:16px 0 32px}
code{font-size:14px;word-break:break-all}
`;
