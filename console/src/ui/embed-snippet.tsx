/** The code that puts a survey on a website, with its id and this API's origin, ready to copy. */
import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n';

export function EmbedSnippet({ surveyId }: { surveyId: string }) {
  const origin = location.origin;
  const snippets = [
    {
      key: 'script',
      label: t('embed.script'),
      code: `<script src="${origin}/widget/rapport.js" data-survey="${surveyId}" data-api="${origin}" async></script>`,
    },
    {
      key: 'element',
      label: t('embed.element'),
      code: `<rapport-survey survey="${surveyId}" api="${origin}" mode="inline"></rapport-survey>\n<script src="${origin}/widget/rapport.js" async></script>`,
    },
  ];
  const [copied, setCopied] = useState('');
  return (
    <section class="card stack embed" aria-labelledby="embed-title">
      <h2 id="embed-title">{t('embed.title')}</h2>
      <p class="hint">{t('embed.hint')}</p>
      {snippets.map((s) => (
        <div key={s.key} class="snippet">
          <div class="row between">
            <h3>{s.label}</h3>
            <button
              type="button"
              class="btn btn-secondary btn-small"
              onClick={() =>
                void navigator.clipboard.writeText(s.code).then(
                  () => setCopied(s.key),
                  () => setCopied(''),
                )
              }
            >
              {copied === s.key ? t('embed.copied') : t('embed.copy')}
            </button>
          </div>
          <pre>
            <code>{s.code}</code>
          </pre>
        </div>
      ))}
      <p class="sr-only" role="status">
        {copied ? t('embed.copied') : ''}
      </p>
    </section>
  );
}
