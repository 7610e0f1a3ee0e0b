/**
 * A wide table's scroll container that the keyboard can reach: when the table is wider than the
 * screen (a phone, Chinese labels, long date-times) the region scrolls, and a scrolling region
 * must be focusable so that people without a mouse can scroll it too (WCAG 2.1.1).
 */
import type { ComponentChildren } from 'preact';

export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to be scrolled
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
