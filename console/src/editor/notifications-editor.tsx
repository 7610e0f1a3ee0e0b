/**
 * The survey editor's "Notifications" section: recipients with their language, the digest's schedule
 * in the owner's time zone, and the drop-alert thresholds. Errors show at their field, whether the
 * form found them (the API's rules and words, notifications-model.ts) or the API did.
 */
import { LOCALES, type Locale, t } from '../i18n/i18n';
import { Field } from '../ui/field';
import { localeName } from './local-text';
import {
  ALERT_FORM_DEFAULTS,
  type DigestFrequency,
  type DraftNotifications,
  recipientKey,
} from './notifications-model';

const FREQUENCIES: readonly DigestFrequency[] = ['off', 'daily', 'weekly'];
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => String(h));
const COMMON_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Singapore',
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
];

export interface NotificationsEditorProps {
  readonly value: DraftNotifications;
  readonly issues: Readonly<Record<string, string>>;
  readonly onChange: (next: DraftNotifications) => void;
}

export function NotificationsEditor({ value: n, issues, onChange }: NotificationsEditorProps) {
  const set = (patch: Partial<DraftNotifications>) => onChange({ ...n, ...patch });
  const p = 'notifications';
  const numberField = (key: keyof typeof ALERT_FORM_DEFAULTS, path: string, label: string, step: number) => (
    <Field id={`notify-${key}`} label={label} error={issues[`${p}/alerts/${path}`]}>
      <input
        type="number"
        step={step}
        placeholder={ALERT_FORM_DEFAULTS[key]}
        value={n[key]}
        onInput={(e) => set({ [key]: e.currentTarget.value })}
      />
    </Field>
  );
  return (
    <fieldset class="card stack" data-section="notifications">
      <legend>{t('notify.title')}</legend>
      <p class="hint">{t('notify.intro')}</p>

      <fieldset class="stack">
        <legend>{t('notify.recipients')}</legend>
        {issues[`${p}/recipients`] && <p class="field-error">{issues[`${p}/recipients`]}</p>}
        {n.recipients.length === 0 && <p class="hint">{t('notify.noRecipients')}</p>}
        {n.recipients.map((r, i) => (
          <div class="grid-3 recipient" key={r.key}>
            <Field id={`notify-email-${i}`} label={t('notify.email')} error={issues[`${p}/recipients/${i}/email`]}>
              <input
                type="email"
                autocomplete="off"
                value={r.email}
                onInput={(e) =>
                  set({
                    recipients: n.recipients.map((x, j) => (j === i ? { ...x, email: e.currentTarget.value } : x)),
                  })
                }
              />
            </Field>
            <Field id={`notify-locale-${i}`} label={t('notify.language')} error={issues[`${p}/recipients/${i}/locale`]}>
              <select
                value={r.locale}
                onChange={(e) =>
                  set({
                    recipients: n.recipients.map((x, j) =>
                      j === i ? { ...x, locale: e.currentTarget.value as Locale } : x,
                    ),
                  })
                }
              >
                {LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {localeName(l)}
                  </option>
                ))}
              </select>
            </Field>
            <div class="field">
              <button
                type="button"
                class="btn btn-secondary"
                aria-label={t('notify.removeRecipient', { email: r.email || String(i + 1) })}
                onClick={() => set({ recipients: n.recipients.filter((_, j) => j !== i) })}
              >
                ✕
              </button>
            </div>
          </div>
        ))}
        <div>
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => set({ recipients: [...n.recipients, { key: recipientKey(), email: '', locale: 'en' }] })}
          >
            {t('notify.addRecipient')}
          </button>
        </div>
      </fieldset>

      <fieldset class="stack">
        <legend>{t('notify.digest')}</legend>
        <div class="grid-3">
          <Field id="notify-frequency" label={t('notify.frequency')} error={issues[`${p}/digest/frequency`]}>
            <select value={n.frequency} onChange={(e) => set({ frequency: e.currentTarget.value as DigestFrequency })}>
              {FREQUENCIES.map((f) => (
                <option key={f} value={f}>
                  {t(`notify.frequency.${f}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="notify-hour" label={t('notify.hour')} error={issues[`${p}/digest/hour`]}>
            <select
              value={n.hour}
              disabled={n.frequency === 'off'}
              onChange={(e) => set({ hour: e.currentTarget.value })}
            >
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {`${h.padStart(2, '0')}:00`}
                </option>
              ))}
            </select>
          </Field>
          <Field id="notify-weekday" label={t('notify.weekday')} error={issues[`${p}/digest/weekday`]}>
            <select
              value={n.weekday}
              disabled={n.frequency !== 'weekly'}
              onChange={(e) => set({ weekday: e.currentTarget.value })}
            >
              {WEEKDAYS.map((w) => (
                <option key={w} value={w}>
                  {t(`notify.weekday.${w}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field
          id="notify-time-zone"
          label={t('notify.timeZone')}
          hint={t('notify.timeZoneHint')}
          error={issues[`${p}/digest/timeZone`]}
        >
          <input
            type="text"
            list="notify-time-zones"
            spellcheck={false}
            value={n.timeZone}
            onInput={(e) => set({ timeZone: e.currentTarget.value })}
          />
        </Field>
        <datalist id="notify-time-zones">
          {COMMON_ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <p class="hint">{t('notify.digestHint')}</p>
      </fieldset>

      <fieldset class="stack">
        <legend>{t('notify.alerts')}</legend>
        <p class="hint">{t('notify.alertsHint')}</p>
        <div class="grid-3">
          {numberField('minimumDropCsat', 'minimumDrop/csat', t('notify.minimumDropCsat'), 0.1)}
          {numberField('minimumDropNps', 'minimumDrop/nps', t('notify.minimumDropNps'), 0.1)}
          {numberField('minimumDropCes', 'minimumDrop/ces', t('notify.minimumDropCes'), 0.1)}
          {numberField('minimumSample', 'minimumSample', t('notify.minimumSample'), 1)}
          {numberField('currentDays', 'currentDays', t('notify.currentDays'), 1)}
          {numberField('baselineDays', 'baselineDays', t('notify.baselineDays'), 1)}
        </div>
      </fieldset>
    </fieldset>
  );
}
