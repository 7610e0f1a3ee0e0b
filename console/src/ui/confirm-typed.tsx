/**
 * A destructive action behind a typed confirmation: the button stays disabled until the person has
 * typed the exact word shown (GDPR erasure, deleting a record).
 */
import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n';
import { Dialog } from './dialog';
import { Field, uid } from './field';

export function ConfirmTyped({
  open,
  title,
  body,
  word,
  action,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  body: string;
  word: string;
  action: string;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [id] = useState(() => uid('confirm'));
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim() === word) onConfirm();
        }}
      >
        <p>{body}</p>
        <Field id={id} label={t('confirm.type', { word })}>
          <input type="text" autoComplete="off" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </Field>
        <div class="row end">
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" class="btn btn-danger" disabled={typed.trim() !== word || busy}>
            {action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
