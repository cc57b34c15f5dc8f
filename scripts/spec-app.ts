import { createApp, openApiDocument } from '../functions/src/app';
import { createDeps } from '../functions/src/create-deps';
import pkg from '../package.json' with { type: 'json' };

/** The OpenAPI document of the app with default settings: what openapi/openapi.json must equal. */
export function specApp(): unknown {
  const deps = createDeps({ env: {}, tokens: [], version: pkg.version });
  const doc = openApiDocument(createApp(deps), pkg.version);
  deps.jobs.close();
  return doc;
}
