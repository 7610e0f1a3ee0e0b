/**
 * The build's stand-in for `preact/jsx-runtime` (the source is compiled with the automatic runtime,
 * `jsxImportSource: 'preact'`): the same calls, mapped onto Preact's createElement, which the bundle
 * carries anyway. Saves the budget the bytes of a second vnode factory.
 */
import { createElement, Fragment } from 'preact';

type Props = Record<string, unknown> | null;
export const jsx = (type: Parameters<typeof createElement>[0], props: Props, key?: string | number) =>
  // createElement takes the key from the props; an undefined key is no key.
  createElement(type as string, { ...props, key });
export { Fragment, jsx as jsxs, jsx as jsxDEV };
