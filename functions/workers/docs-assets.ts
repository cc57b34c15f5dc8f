/**
 * The Swagger UI files for GET /docs on Workers, which has no file system to read swagger-ui-dist from at run time:
 * they are bundled as Data modules (wrangler.toml `[[rules]]`: each import is the file's bytes as an ArrayBuffer,
 * uploaded as its own module next to the code). Only the Workers entry imports this file (functions/worker.ts), so
 * Node and its tests never load the files as JavaScript. The bytes are served as they are, never decoded, so the page
 * gets exactly swagger-ui-dist's files; the views over them are made on first use (docs/design.md, "Workers").
 */
import bundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import css from 'swagger-ui-dist/swagger-ui.css';
import type { DocsAssets, DocsVendorFile } from '../src/docs/assets';

const modules: Readonly<Record<DocsVendorFile, ArrayBuffer>> = { 'swagger-ui-bundle.js': bundle, 'swagger-ui.css': css };
const views = new Map<DocsVendorFile, Uint8Array<ArrayBuffer>>();

function bytes(file: DocsVendorFile): Uint8Array<ArrayBuffer> {
  let view = views.get(file);
  if (!view) views.set(file, (view = new Uint8Array(modules[file])));
  return view;
}

export const workerDocsAssets: DocsAssets = {
  get 'swagger-ui-bundle.js'() {
    return bytes('swagger-ui-bundle.js');
  },
  get 'swagger-ui.css'() {
    return bytes('swagger-ui.css');
  },
};
