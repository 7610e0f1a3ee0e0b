/** A page's frame: its heading (focused on navigation, so screen readers hear where they are), actions, body. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Page({
  title,
  subtitle,
  actions,
  children,
  back,
}: {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  back?: { href: string; label: string };
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const text = typeof title === 'string' ? title : '';
  useEffect(() => {
    document.title = text ? `${text} · Rapport` : 'Rapport';
  }, [text]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section class="page" aria-labelledby="page-title">
      {back && (
        <a class="back" href={back.href}>
          ← {back.label}
        </a>
      )}
      <header class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1} ref={heading}>
            {title}
          </h1>
          {subtitle && <p class="subtitle">{subtitle}</p>}
        </div>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
