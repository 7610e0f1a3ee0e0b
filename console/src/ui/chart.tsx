/**
 * A chart drawn by Observable Plot, which is loaded only when the first chart is shown (it is most of
 * the console's bytes). Plot builds an SVG; its one inline <style> element is removed before the SVG
 * enters the page, so the console's CSP (no 'unsafe-inline') has nothing to refuse — the same rules
 * are in styles.css. The chart redraws at its container's width.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/i18n';

export type Charts = typeof import('../charts/plots');

let charts: Promise<Charts> | undefined;
export const loadCharts = (): Promise<Charts> => (charts ??= import('../charts/plots'));

export function Chart({
  draw,
  label,
  deps,
  height,
  class: className,
}: {
  draw: (charts: Charts, width: number) => Element;
  label: string;
  deps: readonly unknown[];
  height?: number;
  class?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry?.contentRect.width ?? 0);
      setWidth((old) => (Math.abs(old - w) > 8 ? w : old));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    let cancelled = false;
    if (!width) return;
    loadCharts().then(
      (c) => {
        const el = ref.current;
        if (cancelled || !el) return;
        const node = draw(c, width);
        for (const style of node.querySelectorAll('style')) style.remove();
        // The container is the accessible image (role="img" with the chart's name, the table beside it
        // has the data): Plot's names on the SVG and its groups would be prohibited there.
        for (const named of [node, ...node.querySelectorAll('[aria-label], [aria-description]')]) {
          named.removeAttribute('aria-label');
          named.removeAttribute('aria-description');
        }
        el.replaceChildren(node);
        // `npm run bench` times a results page from the report's arrival to its last chart.
        performance.mark('rapport:chart-drawn');
      },
      () => setFailed(true),
    );
    return () => {
      cancelled = true;
    };
  }, [width, ...deps]);
  return (
    <div
      class={`chart${className ? ` ${className}` : ''}`}
      ref={ref}
      role="img"
      aria-label={label}
      style={height ? { minHeight: `${height}px` } : undefined}
    >
      {failed && <p class="hint">{t('chart.failed')}</p>}
    </div>
  );
}
