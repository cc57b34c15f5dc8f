/**
 * Workers entry: the same app on Cloudflare Workers. It builds and serves today with the in-memory job store,
 * which lives only as long as one isolate; the deploy issue replaces it with a Durable Object store.
 * Secrets come from bindings: MCP_TOKENS (JSON array of token records with SHA-256 hashes).
 */
import { z } from 'zod';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './src/app-env';
import { createApp } from './src/app';
import { TokenRecordSchema, createTokenVerifier } from './src/auth/tokens';
import { parseApiSettings, policyFromSettings } from './src/config/settings';
import { silentLogger } from './src/deps';
import { MemoryJobStore } from './src/jobs/memory-store';
import { toolDefinitions } from './src/tools/index';

type Bindings = Record<string, string | undefined>;

let app: OpenAPIHono<AppEnv> | undefined;

function build(env: Bindings): OpenAPIHono<AppEnv> {
  const settings = parseApiSettings(env);
  const tokens = z.array(TokenRecordSchema).parse(JSON.parse(env['MCP_TOKENS'] ?? '[]'));
  const jobs = new MemoryJobStore({ leaseMs: settings.leaseMs, maxQueued: settings.maxQueuedJobs, maxRetained: 1000 });
  return createApp({ settings, policy: policyFromSettings(settings), tools: toolDefinitions, tokens: createTokenVerifier(tokens), jobs, logger: silentLogger, version: '0.1.0' });
}

export default {
  fetch(request: Request, env: Bindings): Response | Promise<Response> {
    app ??= build(env);
    return app.fetch(request, env);
  },
};
