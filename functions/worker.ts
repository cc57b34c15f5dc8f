/**
 * Workers entry: the same app on Cloudflare Workers. It builds and serves today with the in-memory job store,
 * which lives only as long as one isolate; the deploy issue replaces it with a Durable Object store.
 * Secrets come from bindings: MCP_TOKENS (JSON array of token records with SHA-256 hashes).
 * Tools: the build-time list (functions/tools/index.ts) only. TOOLS_PACKAGE is loaded at run time from the file
 * system, which Workers has not got, so this entry never reads it (test/workers-tools.test.ts holds it to that).
 */
import { z } from 'zod';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './src/app-env';
import { createApp } from './src/app';
import { TokenRecordSchema } from './src/auth/tokens';
import { createDeps } from './src/create-deps';

type Bindings = Record<string, string | undefined>;

let app: OpenAPIHono<AppEnv> | undefined;

function build(env: Bindings): OpenAPIHono<AppEnv> {
  const tokens = z.array(TokenRecordSchema).parse(JSON.parse(env['MCP_TOKENS'] ?? '[]'));
  return createApp(createDeps({ env, tokens, version: '0.1.0' }));
}

export default {
  fetch(request: Request, env: Bindings): Response | Promise<Response> {
    app ??= build(env);
    return app.fetch(request, env);
  },
};
