/** Short confirmations ("Saved", "Published") in a polite live region; they fade after a few seconds. */
import { signal } from '@preact/signals';

interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'success' | 'error';
}

const toasts = signal<readonly Toast[]>([]);
let next = 0;

export function toast(text: string, tone: Toast['tone'] = 'success'): void {
  const id = ++next;
  toasts.value = [...toasts.value, { id, text, tone }];
  setTimeout(() => {
    toasts.value = toasts.value.filter((x) => x.id !== id);
  }, 6000);
}

export function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.value.map((x) => (
        <p key={x.id} class={`toast toast-${x.tone}`}>
          {x.text}
        </p>
      ))}
    </div>
  );
}
