/**
 * The widget's only styles, adopted by each shadow root as a constructable stylesheet: nothing leaks
 * in or out, and a strict CSP (no 'unsafe-inline') has nothing to block. `.root` starts from
 * `all: initial` and sizes in px, so host pages that restyle everything (`* { all: unset }`, a
 * 40 px root font) cannot reach inside. Theme through the documented custom properties, which do
 * inherit into the shadow tree.
 */
import CSS from './styles.css?inline';

export { CSS };

let shared: CSSStyleSheet | undefined;

/** One sheet object shared by every widget on the page. */
export function adoptStyles(root: ShadowRoot): void {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(CSS);
  }
  root.adoptedStyleSheets = [shared];
}
