/**
 * `/dev/mail` (local runtime only): the outbox of the notification job — every alert and digest the
 * job "sent" as an `.eml` file — listed newest first, each message's HTML part at
 * `/dev/mail/<file>` (in a sandboxed CSP: no scripts, no network) and its text part at
 * `/dev/mail/<file>/text`. Nothing like it exists in AWS, where SES sends for real.
 */
import type { StaticRoutes } from './gateway';
import { escapeHtml } from './html';
import type { FileOutbox } from './mail-outbox';
import { problem } from './problem';
import { page } from './static-site';

const SANDBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'";

export function devMailRoutes(outbox: FileOutbox): StaticRoutes {
  return async (method, rawPath) => {
    if (method !== 'GET' || !(rawPath === '/dev/mail' || rawPath.startsWith('/dev/mail/'))) return undefined;
    const mails = await outbox.list();
    if (rawPath === '/dev/mail') {
      const rows = mails.map(
        ({ file, message }) =>
          `<tr><td>${escapeHtml(message.date)}</td><td>${escapeHtml(message.to)}</td><td><a href="/dev/mail/${encodeURIComponent(file)}">${escapeHtml(message.subject)}</a></td><td><a href="/dev/mail/${encodeURIComponent(file)}/text">text</a></td><td>${message.headers?.['List-Unsubscribe'] ? 'List-Unsubscribe' : ''}</td></tr>`,
      );
      return page(
        [
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local outbox · 本地发件箱</title></head><body>',
          '<h1>Local outbox · 本地发件箱</h1>',
          `<p>E-mails the notification job wrote to ${escapeHtml(outbox.dir)} (${mails.length}), newest first. In AWS they go through Amazon SES.</p>`,
          '<table><thead><tr><th>Date</th><th>To</th><th>Subject (HTML)</th><th>Text</th><th>Unsubscribe</th></tr></thead>',
          `<tbody>${rows.join('')}</tbody></table>`,
          '</body></html>',
        ].join('\n'),
        { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" },
      );
    }
    const [file = '', part = ''] = rawPath.slice('/dev/mail/'.length).split('/');
    const found = mails.find((m) => m.file === decodeURIComponent(file));
    if (!found || (part !== '' && part !== 'text')) {
      return problem(404, 'not-found', 'Not found', 'no such message in the local outbox');
    }
    if (part === 'text') {
      return {
        ...page(found.message.text),
        headers: { ...page('').headers, 'content-type': 'text/plain; charset=utf-8' },
      };
    }
    return page(found.message.html, { 'content-security-policy': SANDBOX_CSP });
  };
}
