/**
 * The Worker's request handler, apart from the entry so it imports nothing of the runtime (functions/worker.ts adds
 * the Durable Object class). One app per isolate, built on its first request from the bindings: token records from
 * the MCP_TOKENS secret, settings from the string `[vars]`, all shared state (jobs, rate buckets, tool state, service
 * events) in the coordinating Durable Object (JOB_BROKER). Without that binding (a bare test) it stays in this isolate. Tools: the build-time list only;
 * TOOLS_PACKAGE is loaded from the file system at run time, which Workers has not got (README, "Custom tools").
 */
import { z } from 'zod';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../src/app-env';
import { createApp } from '../src/app';
import { TokenRecordSchema } from '../src/auth/tokens';
import { createDeps } from '../src/create-deps';
import type { DocsAssets } from '../src/docs/assets';
import type { BrokerRpc } from './broker-rpc';
import { consoleAudit } from './console-audit';
import { consoleLogger } from './console-logger';
import { createDurableBroker } from './durable-broker';
import { BROKER_OBJECT_NAME, type WorkerBindings, stringBindings } from './runtime';

let app: OpenAPIHono<AppEnv> | undefined;

function build(bindings: WorkerBindings, docsAssets: DocsAssets | undefined): OpenAPIHono<AppEnv> {
  const env = stringBindings(bindings);
  const tokens = z.array(TokenRecordSchema).parse(JSON.parse(env['MCP_TOKENS'] ?? '[]'));
  const namespace = bindings.JOB_BROKER;
  // A stub belongs to the request that made it: one per call, from the namespace binding, which lives as long as the isolate.
  const broker = namespace ? (): BrokerRpc => namespace.get(namespace.idFromName(BROKER_OBJECT_NAME)) : undefined;
  return createApp(
    createDeps({
      env,
      tokens,
      version: '0.1.0',
      logger: consoleLogger(env['LOG_LEVEL']),
      audit: consoleAudit(),
      docsAssets,
      ...(broker ? { broker: () => createDurableBroker(broker) } : {}),
    }),
  );
}

/** `docsAssets`: the Swagger UI files, which the entry bundles (functions/workers/docs-assets.ts); without them /docs answers 404. */
export function handleFetch(request: Request, bindings: WorkerBindings, docsAssets?: DocsAssets): Response | Promise<Response> {
  app ??= build(bindings, docsAssets);
  return app.fetch(request, bindings);
}
