/**
 * The e-mail to a subscription's owner when Rapport disables it after repeated dead letters. In
 * English and Chinese in one message: the recipient's language is not known for a webhook contact.
 */
import type { MailMessage } from '../mail/mailer';
import type { WebhookSubscription } from './webhook-subscription';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function disabledMail(s: WebhookSubscription, consoleUrl?: string): MailMessage {
  const to = s.notifyEmail ?? '';
  const where = consoleUrl ? `${consoleUrl.replace(/\/$/, '')}/webhooks` : 'the console’s Webhooks page';
  const lines = [
    `Rapport disabled a webhook after ${s.consecutiveDeadLetters} deliveries in a row could not be delivered within the retry window (more than 24 hours each).`,
    '',
    `Webhook: ${s.id}`,
    `URL: ${s.url}`,
    ...(s.description ? [`Description: ${s.description}`] : []),
    '',
    `Fix the receiver, enable the webhook again and replay the dead-lettered deliveries: ${where}`,
    '',
    '—',
    '',
    `Rapport 已停用一个 Webhook：连续 ${s.consecutiveDeadLetters} 次投递在重试期（每次超过 24 小时）内均未成功。`,
    '',
    `Webhook：${s.id}`,
    `URL：${s.url}`,
    '',
    `请修复接收端，重新启用该 Webhook，并重放进入死信状态的投递：${where}`,
  ];
  const text = lines.join('\n');
  const html = `<!doctype html><html><body>${lines
    .map((l) => (l ? `<p>${escapeHtml(l)}</p>` : ''))
    .join('')}</body></html>`;
  return {
    id: `webhook-disabled-${s.id}-${s.version}`,
    to,
    subject: 'Rapport: webhook disabled after repeated failures / Webhook 因多次失败已停用',
    text,
    html,
  };
}
