/**
 * What recipients read: the digest's stable English lines, its Chinese wording, the RFC 8058 headers,
 * and respondents' words (and survey names) escaped in the HTML part; the alert e-mail per language.
 */
import { describe, expect, it } from 'vitest';
import type { DroppedEvent } from '../../../../functions/domain/alerts';
import { alertMail } from '../../../../functions/domain/notifications/alert-mail';
import type { DigestContent } from '../../../../functions/domain/notifications/digest-content';
import { digestMail } from '../../../../functions/domain/notifications/digest-mail';

const content: DigestContent = {
  surveyId: 'S1',
  surveyName: 'Support <b>desk</b>',
  frequency: 'weekly',
  period: { from: '2026-11-23', to: '2026-11-29' },
  previous: { from: '2026-11-16', to: '2026-11-22' },
  responses: 35,
  headlines: [
    {
      metric: 'csat',
      value: 80,
      ci95: { low: 64.1, high: 89.96, level: 0.95 },
      n: 35,
      previous: 85.71,
      previousN: 35,
      change: -5.714,
      changeCi95: { low: -21.04, high: 9.92, level: 0.95 },
      significant: false,
    },
    {
      metric: 'nps',
      value: 20,
      ci95: { low: -5, high: 45, level: 0.95 },
      n: 35,
      previous: null,
      previousN: 0,
      change: null,
      changeCi95: null,
      significant: false,
    },
  ],
  trend: [{ bucket: '2026-11-23', responses: 5, csat: 80, nps: null }],
  lowestComments: [
    {
      receivedAt: '2026-11-24T12:00:00Z',
      score: { value: 1, min: 1, max: 5 },
      text: '<script>alert(1)</script> & "x"',
    },
  ],
  openFollowUps: { count: 2, countIsAtLeast: false, oldest: [{ ageDays: 6, score: 2 }] },
};
const links = { unsubscribeUrl: 'https://r.example.com/v1/unsubscribe?survey=S1&recipient=r&signature=s' };

describe('digest e-mail', () => {
  it('has stable English headline lines, the one-click headers and an id per period and recipient', () => {
    const mail = digestMail(content, { email: 'a@example.com', locale: 'en' }, links);
    expect(mail.text).toContain(
      'CSAT: 80.0% (95% CI 64.1 … 90.0%), n = 35; change since the previous period: -5.7 (95% CI -21.0 … +9.9), not significant',
    );
    expect(mail.text).toContain(
      'NPS: 20.0 (95% CI -5.0 … 45.0), n = 35; change since the previous period: not enough answers to compare',
    );
    expect(mail.headers).toEqual({
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(mail.id).toMatch(/^digest:S1:2026-11-23:2026-11-29:[0-9a-f]{32}$/);
    expect(mail.id).not.toContain('example.com');
  });

  it('escapes respondents’ words and the survey name in the HTML part', () => {
    const mail = digestMail(content, { email: 'a@example.com', locale: 'en' }, links);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>desk</b>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(mail.text).toContain('<script>alert(1)</script>'); // plain text is shown as text
  });

  it('speaks Chinese to a Chinese recipient', () => {
    const mail = digestMail(content, { email: 'b@example.cn', locale: 'zh-CN' }, links);
    expect(mail.subject).toBe('每周摘要：Support <b>desk</b> (2026-11-23 – 2026-11-29)');
    expect(mail.text).toContain('回答数：35');
    expect(mail.text).toContain('与上一周期相比：-5.7');
    expect(mail.text).toContain('不再接收此摘要：https://r.example.com/v1/unsubscribe');
    expect(mail.html).toContain('lang="zh-CN"');
  });
});

describe('alert e-mail', () => {
  const event: DroppedEvent = {
    type: 'satisfaction.dropped',
    id: 'S1:csat:2026-11-29:segment:vip:dropped',
    alertId: 'S1:csat:2026-11-29:segment:vip',
    surveyId: 'S1',
    segment: 'vip',
    metric: 'csat',
    questionId: 'overall',
    on: '2026-11-29',
    current: { n: 40, value: 62.5 },
    baseline: { n: 160, value: 81.25 },
    estimate: -18.75,
    ci95: { low: -34.2, high: -3.9, level: 0.95 },
    pValue: 0.004,
    adjustedP: 0.012,
    minimumDrop: 5,
  };

  it('tells each recipient once, in their language, with the figures and the interval', () => {
    const en = alertMail(
      { name: 'Checkout' },
      event,
      { email: 'a@example.com', locale: 'en' },
      'https://c.example.com',
    );
    expect(en.subject).toBe('Satisfaction dropped: CSAT, segment “vip” — Checkout');
    expect(en.text).toContain('Change: -18.8 (95% interval -34.2 … -3.9)');
    expect(en.text).toContain('Open the results: https://c.example.com/surveys/S1');
    const zh = alertMail({ name: 'Checkout' }, event, { email: 'b@example.cn', locale: 'zh-CN' }, undefined);
    expect(zh.subject).toBe('满意度下降：CSAT（满意度），细分“vip” — Checkout');
    expect(zh.id).not.toBe(en.id);
    expect(zh.id.startsWith(`alert:${event.id}:`)).toBe(true);
  });
});
