/** A stored response's answers as a definition list: each question's text (in the console's language), then the answer. */
import type { StoredResponse, Survey } from '../api/types';
import { localText } from '../i18n/i18n';

function answerText(value: StoredResponse['answers'][string]): string {
  return typeof value === 'object' ? value.email : String(value);
}

export function AnswerList({ answers, survey }: { answers: StoredResponse['answers']; survey: Survey | undefined }) {
  return (
    <dl class="answers">
      {Object.entries(answers).map(([q, v]) => {
        const question = survey?.questions.find((x) => x.id === q);
        return (
          <div key={q}>
            <dt>{question ? localText(question.text) : q}</dt>
            <dd>{answerText(v)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
