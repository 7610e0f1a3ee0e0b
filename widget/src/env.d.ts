/** `import css from './x.css?inline'`: the stylesheet's text (minified by the widget build, as-is under Vitest). */
declare module '*.css?inline' {
  const css: string;
  export default css;
}
