import { createApp, openApiDocument } from '../functions/src/app';
import { createTokenVerifier } from '../functions/src/auth/tokens';
import { parseApiSettings, policyFromSettings } from '../functions/src/config/settings';
import { silentLogger } from '../functions/src/deps';
import { MemoryJobStore } from '../functions/src/jobs/memory-store';
import { toolDefinitions } from '../functions/src/tools/index';
import pkg from '../package.json' with { type: 'json' };

/** The OpenAPI document of the app with default settings: what openapi/openapi.json must equal. */
export function specApp(): unknown {
  const settings = parseApiSettings({});
  const jobs = new MemoryJobStore({ leaseMs: settings.leaseMs, maxQueued: 1, maxRetained: 1 });
  const app = createApp({ settings, policy: policyFromSettings(settings), tools: toolDefinitions, tokens: createTokenVerifier([]), jobs, logger: silentLogger, version: pkg.version });
  jobs.close();
  return openApiDocument(app, pkg.version);
}
