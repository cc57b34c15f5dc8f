import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTraceparent } from '../../../functions/shared/telemetry/traceparent';
import { plainHttpFetch } from '../../../functions/shared/node/http-fetch';
import { FAILED_REQUEST_EVENT, failedRequestEvents } from './failed-request-events';
import type { FinishedSpan } from './lite/lite-span';
import { LiteTracer } from './lite/lite-tracer';

// Answers /fail with 503, anything else with 200.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' }).end('{}'));
});
let url = '';
let closedUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** An open call span, the fetch that notes failures on it, and the span as exported once ended. */
function setup(): { fetch: typeof fetch; traceparent: string; finish: () => FinishedSpan | undefined } {
  const spans: FinishedSpan[] = [];
  const call = new LiteTracer('test', (s) => spans.push(s)).startSpan('tools/call ping', {}, ROOT_CONTEXT);
  const open = new Map([[call.spanContext().spanId, call]]);
  return {
    fetch: failedRequestEvents(plainHttpFetch(globalThis.fetch), (id) => open.get(id)),
    traceparent: formatTraceparent(call.spanContext()),
    finish: () => {
      call.end();
      return spans[0];
    },
  };
}

const post = (f: typeof fetch, target: string, traceparent?: string): Promise<Response> =>
  f(target, { method: 'POST', headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) }, body: '{}' });

describe('failedRequestEvents', () => {
  it('adds nothing for an answered request, and hands the response back', async () => {
    const { fetch, traceparent, finish } = setup();
    expect((await post(fetch, `${url}/tools/ping/execute`, traceparent)).status).toBe(200);
    expect(finish()?.events).toEqual([]);
  });

  it("notes a 5xx on the call's span with the request's method, URL and status", async () => {
    const { fetch, traceparent, finish } = setup();
    expect((await post(fetch, `${url}/fail`, traceparent)).status).toBe(503);
    expect(finish()?.events).toMatchObject([
      {
        name: FAILED_REQUEST_EVENT,
        attributes: { 'http.request.method': 'POST', 'url.full': `${url}/fail`, 'http.response.status_code': 503, 'error.type': '503' },
      },
    ]);
  });

  it("notes a refused connection on the call's span and still throws it", async () => {
    const { fetch, traceparent, finish } = setup();
    await expect(post(fetch, `${closedUrl}/tools/ping/execute`, traceparent)).rejects.toThrow();
    const [event] = finish()?.events ?? [];
    expect(event).toMatchObject({ name: FAILED_REQUEST_EVENT, attributes: { 'url.full': `${closedUrl}/tools/ping/execute`, 'error.type': 'ECONNREFUSED' } });
    expect(String(event?.attributes['exception.message'])).not.toBe('');
  });

  it('notes nothing for a request that names no open call', async () => {
    const { fetch, finish } = setup();
    await expect(post(fetch, `${closedUrl}/x`)).rejects.toThrow();
    await expect(post(fetch, `${closedUrl}/x`, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).rejects.toThrow();
    expect(finish()?.events).toEqual([]);
  });
});
