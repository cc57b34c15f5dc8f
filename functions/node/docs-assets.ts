import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../src/deps';
import { DOCS_VENDOR_FILES, type DocsAssets, type DocsVendorFile } from '../src/docs/assets';

/**
 * The Swagger UI files for GET /docs, from the installed swagger-ui-dist package (no CDN). Their presence is checked at
 * start-up; their bytes (~1.6 MB) are read on the first request for each and kept, so an API nobody opens /docs on
 * never holds them (issue 12, idle memory). Without the package the API still runs; /docs then answers 404 and says so.
 */
export function loadDocsAssets(logger: Logger): DocsAssets | undefined {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const missing = DOCS_VENDOR_FILES.find((file) => !existsSync(join(dir, file)));
    if (missing) throw new Error(`${missing} is missing in ${dir}`);
  } catch (err) {
    logger.warn({ err }, 'swagger-ui-dist could not be read; GET /docs will answer 404');
    return undefined;
  }
  const read = new Map<DocsVendorFile, Uint8Array<ArrayBuffer>>();
  const bytes = (file: DocsVendorFile): Uint8Array<ArrayBuffer> => {
    let b = read.get(file);
    if (!b) read.set(file, (b = new Uint8Array(readFileSync(join(dir, file)))));
    return b;
  };
  return {
    get 'swagger-ui-bundle.js'() {
      return bytes('swagger-ui-bundle.js');
    },
    get 'swagger-ui.css'() {
      return bytes('swagger-ui.css');
    },
  };
}
