/** A row of toggle buttons (aria-pressed) that belong together, named for screen readers by a hidden legend. */
import type { ComponentChildren } from 'preact';

export function Segmented({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <fieldset class="segmented">
      <legend class="sr-only">{label}</legend>
      {children}
    </fieldset>
  );
}
