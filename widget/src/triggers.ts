/**
 * The rarer triggers (`rapport-triggers.<hash>.js`): the n-th page view of the visit, time on the
 * page, scroll depth and exit intent. The loader fetches this chunk only for a survey that uses one of
 * them, so a page whose surveys wait for events (or for nothing) never pays for it.
 */
import type { LoaderChunks, RareTriggers } from './types';

const arm: RareTriggers = (t, fire, views, started) => {
  const waits: string[] = [];
  if (t.pageViews) {
    if (views >= t.pageViews) fire(`page view ${views}`);
    waits.push(`page view ${t.pageViews}`);
  }
  if (t.timeOnPageSeconds) {
    const s = `${t.timeOnPageSeconds} s`;
    setTimeout(() => fire(s), t.timeOnPageSeconds * 1000 - (Date.now() - started));
    waits.push(s);
  }
  if (t.scrollDepthPercent) {
    const depth = t.scrollDepthPercent;
    const why = `scroll ${depth}%`;
    addEventListener(
      'scroll',
      () => (scrollY + innerHeight) * 100 >= depth * document.documentElement.scrollHeight && fire(why),
      { passive: true },
    );
    waits.push(why);
  }
  if (t.exitIntent && matchMedia('(pointer:fine)').matches) {
    document.addEventListener('mouseout', (e) => !e.relatedTarget && e.clientY <= 0 && fire('exit'));
    waits.push('exit');
  }
  return waits;
};

(window.Rapport as LoaderChunks).__triggers = arm;
