/** HTTP ↔ domain for notifications: a survey's alerts (admin API), and one-click unsubscribe (public API). */
import { ValidationError } from '../../domain/errors';
import { escapeHtml } from '../../domain/notifications/mail-text';
import type { NotificationService } from '../../domain/notifications/notification-service';
import type { Implementations } from '../../http/http-function';
import type { HttpReply } from '../../http/request';

export function alertOperations(service: NotificationService): Pick<Implementations<'admin-api'>, 'getSurveyAlerts'> {
  return {
    getSurveyAlerts: async ({ params, query }) => ({ status: 200, body: await service.alerts(params.id, query.days) }),
  };
}

/** Both languages on one page: the link does not say which one its recipient reads. */
function page(title: { en: string; zh: string }, body: { en: string; zh: string }, extra = ''): HttpReply {
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    text: [
      '<!doctype html>',
      `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title.en)} · ${escapeHtml(title.zh)}</title></head><body>`,
      `<h1>${escapeHtml(title.en)}</h1><p>${escapeHtml(body.en)}</p>`,
      `<h1 lang="zh-CN">${escapeHtml(title.zh)}</h1><p lang="zh-CN">${escapeHtml(body.zh)}</p>`,
      extra,
      '</body></html>',
    ].join('\n'),
  };
}

/** RFC 8058 §3.1: the POST carries `List-Unsubscribe=One-Click`, form-encoded or as multipart form data. */
export function isOneClickBody(contentType: string | undefined, body: string): boolean {
  if (contentType === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
  }
  if (contentType === 'multipart/form-data') {
    return /name="List-Unsubscribe"\r?\n\r?\nOne-Click\r?\n/.test(body);
  }
  return false;
}

export function unsubscribeOperations(
  service: NotificationService,
): Pick<Implementations<'public-api'>, 'showUnsubscribe' | 'unsubscribe'> {
  return {
    showUnsubscribe: async ({ query }) => {
      const { surveyName } = await service.checkLink(query);
      const action = `?${new URLSearchParams(query)}`;
      return page(
        { en: 'Unsubscribe from this digest?', zh: '退订此摘要？' },
        {
          en: `You will no longer receive the digest of the survey “${surveyName}”. Drop alerts are not affected.`,
          zh: `您将不再收到问卷“${surveyName}”的摘要。下降提醒不受影响。`,
        },
        `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe · 退订</button></form>`,
      );
    },

    unsubscribe: async ({ query, body, contentType, requestId }) => {
      if (typeof body !== 'string' || !isOneClickBody(contentType, body)) {
        throw new ValidationError([{ path: 'body', message: 'must be List-Unsubscribe=One-Click (RFC 8058)' }]);
      }
      const { surveyName } = await service.unsubscribe(query, requestId);
      return page(
        { en: 'You are unsubscribed', zh: '您已退订' },
        {
          en: `You will no longer receive the digest of the survey “${surveyName}”.`,
          zh: `您将不再收到问卷“${surveyName}”的摘要。`,
        },
      );
    },
  };
}
