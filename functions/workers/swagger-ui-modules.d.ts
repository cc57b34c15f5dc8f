/**
 * The two swagger-ui-dist files functions/workers/docs-assets.ts imports: Data modules under wrangler.toml's
 * `[[rules]]` (and test/helpers/worker-bundle.ts), so each import is the file's bytes.
 */
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const bytes: ArrayBuffer;
  export default bytes;
}

declare module 'swagger-ui-dist/swagger-ui.css' {
  const bytes: ArrayBuffer;
  export default bytes;
}
