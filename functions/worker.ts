/**
 * Workers entry (wrangler.toml `main`): the request handler (functions/workers/fetch-handler.ts) and the coordinating
 * Durable Object class the JOB_BROKER binding names (functions/workers/broker-object.ts; docs/design.md, "Workers").
 * Secrets come from bindings: MCP_TOKENS (JSON array of token records with SHA-256 hashes). The Swagger UI files for
 * /docs are bundled with it (functions/workers/docs-assets.ts). Tools: the build-time list (functions/tools/index.ts)
 * only; this entry never reads TOOLS_PACKAGE (test/workers-tools.test.ts holds it to that).
 */
import { workerDocsAssets } from './workers/docs-assets';
import { handleFetch } from './workers/fetch-handler';
import type { WorkerBindings } from './workers/runtime';

export { JobBroker } from './workers/broker-object';

export default {
  fetch(request: Request, env: WorkerBindings): Response | Promise<Response> {
    return handleFetch(request, env, workerDocsAssets);
  },
};
