/** Stylesheets are bundled by esbuild into the console's CSS file. */
declare module '*.css';

/** The identity-signing examples of docs/api.md, read by the build (console/signing-snippets.ts). */
declare module 'virtual:signing-snippets' {
  const snippets: { readonly node: string; readonly python: string };
  export default snippets;
}
