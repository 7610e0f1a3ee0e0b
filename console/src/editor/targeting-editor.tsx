/**
 * The survey's targeting in the editor (docs/widget.md): when it shows itself (URL rules, events,
 * time, scroll, exit intent, page views), to whom (segments, attributes), and the contact rules
 * (display limit, the recontact window opt-out). Text fields the model turns into the API's shape.
 */
import { t } from '../i18n/i18n';
import { Field } from '../ui/field';
import type { DraftTargeting, Issues } from './model';

export function TargetingEditor(props: {
  readonly value: DraftTargeting;
  readonly issues: Issues;
  readonly disabled?: boolean;
  readonly onChange: (next: DraftTargeting) => void;
}) {
  const { value: v, issues } = props;
  const set = (patch: Partial<DraftTargeting>) => props.onChange({ ...v, ...patch });
  const text = (key: keyof DraftTargeting) => (e: { currentTarget: { value: string } }) =>
    set({ [key]: e.currentTarget.value } as Partial<DraftTargeting>);
  const number = (key: 'timeOnPageSeconds' | 'scrollDepthPercent' | 'pageViews' | 'displayLimit', max: number) => (
    <input type="number" min={1} max={max} value={v[key]} onInput={text(key)} />
  );
  return (
    <fieldset class="card stack" disabled={props.disabled}>
      <legend>{t('targeting.legend')}</legend>
      <label class="check">
        <input type="checkbox" checked={v.auto} onChange={(e) => set({ auto: e.currentTarget.checked })} />
        {t('targeting.auto')}
      </label>
      <div class="grid-3">
        <Field
          id="targeting-url-include"
          label={t('targeting.urlInclude')}
          hint={t('targeting.urlHint')}
          error={issues['targeting/triggers/urls/include']}
        >
          <textarea rows={2} spellcheck={false} value={v.urlInclude} onInput={text('urlInclude')} />
        </Field>
        <Field
          id="targeting-url-exclude"
          label={t('targeting.urlExclude')}
          error={issues['targeting/triggers/urls/exclude']}
        >
          <textarea rows={2} spellcheck={false} value={v.urlExclude} onInput={text('urlExclude')} />
        </Field>
        <Field
          id="targeting-events"
          label={t('targeting.events')}
          hint={t('targeting.eventsHint')}
          error={issues['targeting/triggers/events']}
        >
          <input type="text" spellcheck={false} value={v.events} onInput={text('events')} />
        </Field>
        <Field
          id="targeting-time"
          label={t('targeting.timeOnPage')}
          error={issues['targeting/triggers/timeOnPageSeconds']}
        >
          {number('timeOnPageSeconds', 3600)}
        </Field>
        <Field
          id="targeting-scroll"
          label={t('targeting.scrollDepth')}
          error={issues['targeting/triggers/scrollDepthPercent']}
        >
          {number('scrollDepthPercent', 100)}
        </Field>
        <Field id="targeting-views" label={t('targeting.pageViews')} error={issues['targeting/triggers/pageViews']}>
          {number('pageViews', 100)}
        </Field>
      </div>
      <label class="check">
        <input type="checkbox" checked={v.exitIntent} onChange={(e) => set({ exitIntent: e.currentTarget.checked })} />
        {t('targeting.exitIntent')}
      </label>
      <div class="grid-3">
        <Field id="targeting-segments" label={t('targeting.segments')} error={issues['targeting/audience/segments']}>
          <input type="text" value={v.audienceSegments} onInput={text('audienceSegments')} />
        </Field>
        <Field
          id="targeting-attributes"
          label={t('targeting.attributes')}
          hint={t('targeting.attributesHint')}
          error={issues['targeting/audience/attributes']}
        >
          <textarea rows={2} spellcheck={false} value={v.audienceAttributes} onInput={text('audienceAttributes')} />
        </Field>
        <Field id="targeting-limit" label={t('targeting.displayLimit')} error={issues['targeting/displayLimit']}>
          {number('displayLimit', 1000)}
        </Field>
      </div>
      <label class="check">
        <input
          type="checkbox"
          checked={v.recontactOptOut}
          onChange={(e) => set({ recontactOptOut: e.currentTarget.checked })}
        />
        {t('targeting.recontactOptOut')}
      </label>
    </fieldset>
  );
}
