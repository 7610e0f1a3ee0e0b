/** The e-mail one alert event becomes, for one recipient, in their language. */
import type { AlertEvent } from '../alerts';
import type { MailMessage } from '../mail/mailer';
import type { Locale } from '../surveys/locale-schema';
import type { Survey } from '../surveys/survey';
import { escapeHtml, formatSigned, formatValue, htmlDocument, METRIC_LABEL, scopeLabel } from './mail-text';
import type { Recipient } from './notifications-schema';
import { recipientRef } from './recipient-ref';

/** Stable per event and recipient: the ledger's key, so a retried run sends it once. */
export function alertMessageId(event: AlertEvent, recipient: Pick<Recipient, 'email'>): string {
  return `alert:${event.id}:${recipientRef(recipient.email)}`;
}

function lines(event: AlertEvent, locale: Locale, surveyName: string): { subject: string; rows: string[] } {
  const metric = METRIC_LABEL[locale][event.metric];
  const scope = scopeLabel(locale, event.segment);
  const en = locale === 'en';
  if (event.type === 'satisfaction.dropped') {
    return {
      subject: en
        ? `Satisfaction dropped: ${metric}, ${scope} — ${surveyName}`
        : `满意度下降：${metric}，${scope} — ${surveyName}`,
      rows: [
        en
          ? `${metric} for ${scope} of the survey “${surveyName}” fell, and the fall is statistically real.`
          : `问卷“${surveyName}”中${scope}的${metric}下降了，且在统计上显著。`,
        '',
        `${en ? 'Current window ending' : '当前窗口截至'} ${event.on}: ${formatValue(event.metric, event.current.value)} (n = ${event.current.n})`,
        `${en ? 'Baseline before it' : '此前基线'}: ${formatValue(event.metric, event.baseline.value)} (n = ${event.baseline.n})`,
        `${en ? 'Change' : '变化'}: ${formatSigned(event.metric, event.estimate)} (${en ? '95% interval' : '95% 置信区间'} ${formatSigned(event.metric, event.ci95.low)} … ${formatSigned(event.metric, event.ci95.high)})`,
        `${en ? 'p-value adjusted for every comparison of the survey' : '经多重比较校正的 p 值'}: ${event.adjustedP.toPrecision(2)}`,
        `${en ? 'Practical minimum' : '实际意义最小值'}: ${formatValue(event.metric, event.minimumDrop)}`,
        '',
        en
          ? 'You will not be alerted again for this drop; you will be told when it recovers.'
          : '此次下降不会重复提醒；恢复时会再通知您。',
      ],
    };
  }
  const gone = event.reason === 'no-longer-measured';
  return {
    subject: en
      ? `${gone ? 'Alert closed' : 'Satisfaction recovered'}: ${metric}, ${scope} — ${surveyName}`
      : `${gone ? '提醒已关闭' : '满意度已恢复'}：${metric}，${scope} — ${surveyName}`,
    rows: [
      gone
        ? en
          ? `The drop of ${metric} for ${scope} (since ${event.droppedOn}) can no longer be measured: the segment or the question is gone. The alert is closed.`
          : `${scope}的${metric}下降（自 ${event.droppedOn} 起）已无法再衡量：细分或题目已不存在。提醒已关闭。`
        : en
          ? `${metric} for ${scope} of the survey “${surveyName}” is back near the level it fell from on ${event.droppedOn}.`
          : `问卷“${surveyName}”中${scope}的${metric}已恢复到 ${event.droppedOn} 下降前的水平附近。`,
      '',
      `${en ? 'Current window ending' : '当前窗口截至'} ${event.on}: ${formatValue(event.metric, event.current?.value ?? null)} (n = ${event.current?.n ?? 0})`,
      `${en ? 'Level before the drop' : '下降前水平'}: ${formatValue(event.metric, event.reference.value)} (n = ${event.reference.n})`,
    ],
  };
}

export function alertMail(
  survey: Pick<Survey, 'name'>,
  event: AlertEvent,
  recipient: Recipient,
  consoleUrl: string | undefined,
): MailMessage {
  const { subject, rows } = lines(event, recipient.locale, survey.name);
  const link = consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/surveys/${event.surveyId}` : undefined;
  const open = recipient.locale === 'en' ? 'Open the results' : '查看结果';
  const text = [...rows, ...(link ? ['', `${open}: ${link}`] : [])].join('\n');
  const html = htmlDocument(
    recipient.locale,
    subject,
    [
      `<h1 style="font-size:18px">${escapeHtml(subject)}</h1>`,
      ...rows.filter((r) => r !== '').map((r) => `<p>${escapeHtml(r)}</p>`),
      ...(link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(open)}</a></p>`] : []),
    ].join('\n'),
  );
  return { id: alertMessageId(event, recipient), to: recipient.email, subject, text, html };
}
