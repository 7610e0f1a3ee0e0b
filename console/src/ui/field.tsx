/**
 * A labelled form control with its hint and its error, wired for screen readers (the error is in
 * aria-describedby and the control is aria-invalid), so a problem+json field error shows where the
 * person can fix it.
 */
import type { ComponentChildren } from 'preact';
import { cloneElement, isValidElement, type VNode } from 'preact';

let counter = 0;
export const uid = (prefix: string) => `${prefix}-${++counter}`;

export interface FieldProps {
  readonly id: string;
  readonly label: ComponentChildren;
  readonly hint?: ComponentChildren;
  readonly error?: string | undefined;
  readonly children: VNode;
  readonly class?: string;
}

export function Field({ id, label, hint, error, children, class: className }: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, {
        id,
        'aria-describedby': described,
        'aria-invalid': error ? 'true' : undefined,
      })
    : children;
  return (
    <div class={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {control}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
