/**
 * The rarer triggers (`rapport-triggers.<hash>.js`): the n-th page view of the visit, time on the
 * page, scroll depth and exit intent. The loader fetches this chunk only for a survey that uses one of
 * them, so a page whose surveys wait for events (or for nothing) never pays for it.
 */
import type { LoaderChunks, RareTriggers } from './types';

const arm: RareTriggers = (t, fire, views) => {
  const waits: string[] = [];
  if (t.pageViews) {
    if (views >= t.pageViews) fire(`page view ${views}`);
    waits.push(`page view ${t.pageViews}`);
  }
  if (t.timeOnPageSeconds) {
    const s = `${t.timeOnPageSeconds} s`;
    // Time on the page counts from the page's own start (its navigation), not from when this ran.
    setTimeout(() => fire(s), t.timeOnPageSeconds * 1000 - performance.now());
    waits.push(s);
  }
  if (t.scrollDepthPercent) {
    const depth = t.scrollDepthPercent;
    const why = `scroll ${depth}%`;
    const check = () => (scrollY + innerHeight) * 100 >= depth * document.documentElement.scrollHeight && fire(why);
    addEventListener('scroll', check, { passive: true });
    // Once now too: a page too short to scroll (or already scrolled that far) never sends a scroll event.
    check();
    waits.push(why);
  }
  if (t.exitIntent) {
    // Exit intent is the pointer leaving through the top edge: a touch device has no pointer to leave,
    // so the survey waits for its other triggers, or (exit intent alone) does not show; debug says so.
    const mouse = matchMedia('(pointer:fine)').matches;
    if (mouse) document.addEventListener('mouseout', (e) => !e.relatedTarget && e.clientY <= 0 && fire('exit'));
    waits.push(mouse ? 'exit' : 'exit intent (never on a touch device)');
  }
  return waits;
};

(window.Rapport as LoaderChunks).__triggers = arm;
