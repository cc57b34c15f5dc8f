// The API runs without async context propagation (SyncContextManager, as functions/shared/node/otel.ts installs it):
// each request's span is kept on its own hono context (request-trace.ts). Two traced calls in flight at once must each
// store their own request span as their job's parent and write their own ids on their request line, with no active
// context to carry them across the handlers' awaits.
import { createHash, randomBytes } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SyncContextManager } from '../../shared/telemetry/sync-context-manager';
import { traceLogFields } from '../../shared/telemetry/log-fields';
import { parseTraceparent } from '../../shared/telemetry/traceparent';
import { type LoggedLine, capturingLogger } from '../../../test/helpers/test-logger';
import { createApp } from '../app';
import { createDeps } from '../create-deps';
import type { AppDeps } from '../deps';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const CLIENT = 'client-secret-token-1234567890';
const exporter = new tracing.InMemorySpanExporter();
let deps: AppDeps;
let lines: LoggedLine[];

beforeAll(() => {
  context.setGlobalContextManager(new SyncContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] }));
  const captured = capturingLogger();
  lines = captured.lines;
  // As the Node logger's pino mixin adds them (functions/shared/node/logger.ts).
  const withIds = (at: (obj: object, msg?: string) => void) => (obj: object, msg?: string) => at({ ...obj, ...traceLogFields(obj) }, msg);
  const { debug, info, warn, error } = captured.logger;
  deps = createDeps({
    env: { MCP_RATE_LIMIT_PER_MINUTE: '0', MCP_ALLOW_LOOPBACK: 'true' },
    version: 'test',
    logger: { debug: withIds(debug), info: withIds(info), warn: withIds(warn), error: withIds(error) },
    tokens: [{ id: 'client', sha256: sha256(CLIENT), scopes: ['tools:read', 'tools:run'] }],
  });
});
afterAll(() => {
  deps.jobs.close();
  trace.disable();
  propagation.disable();
  context.disable();
});

it("keeps each request's span to itself: its job's stored traceparent and its request line name it", async () => {
  const app = createApp(deps);
  const callers = [0, 1].map(() => ({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') }));
  const answers = await Promise.all(
    callers.map(async (caller) => {
      const res = await app.request('http://localhost/tools/ping/execute?async=true', {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'application/json', traceparent: `00-${caller.traceId}-${caller.spanId}-01` },
        body: JSON.stringify({ target: '127.0.0.1', count: 1 }),
      });
      expect(res.status).toBe(202);
      return (await res.json()) as { jobId: string };
    }),
  );
  await new Promise((resolve) => setImmediate(resolve)); // the request lines and span ends come after the answers
  for (const [i, caller] of callers.entries()) {
    const server = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === caller.traceId && s.name === 'POST /tools/ping/execute');
    expect(server).toHaveLength(1);
    expect(server[0]?.parentSpanContext?.spanId).toBe(caller.spanId);
    const serverSpanId = server[0]?.spanContext().spanId;
    const job = await deps.jobs.get(answers[i]?.jobId ?? '');
    expect(parseTraceparent(job?.traceparent)).toMatchObject({ traceId: caller.traceId, spanId: serverSpanId });
    const line = lines.find((l) => l.msg === 'request' && l.obj['trace_id'] === caller.traceId);
    expect(line?.obj).toMatchObject({ path: '/tools/ping/execute', span_id: serverSpanId });
  }
});
