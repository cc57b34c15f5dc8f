import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../src/deps';
import type { DocsAssets, DocsVendorFile } from '../src/docs/assets';

/**
 * Reads the Swagger UI files for GET /docs once, from the installed swagger-ui-dist package (no CDN).
 * Without the package the API still runs; /docs then answers 404 and says so.
 */
export function loadDocsAssets(logger: Logger): DocsAssets | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const read = (file: DocsVendorFile): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(join(dir, file)));
    return { 'swagger-ui-bundle.js': read('swagger-ui-bundle.js'), 'swagger-ui.css': read('swagger-ui.css') };
  } catch (err) {
    logger.warn({ err }, 'swagger-ui-dist could not be read; GET /docs will answer 404');
    return undefined;
  }
}
