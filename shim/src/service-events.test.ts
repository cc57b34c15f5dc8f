import { createServer } from 'node:http';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createNetdiagClient } from '../../openapi/sdk/src/index';
import { closeServer, listenLoopback } from '../../test/helpers/native-test-support';
import { followServiceEvents } from './service-events';

const quiet = (): void => undefined;
let stopAll: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const s of stopAll) await s();
  stopAll = [];
});

describe('followServiceEvents', () => {
  it('backs off and retries while the API refuses the stream, leaving no abort listener per retry on its stop signal', async () => {
    // A real loopback server playing an API that refuses GET /events (401): every attempt is a real SDK call.
    let attempts = 0;
    let enough: () => void = quiet;
    const reached = new Promise<void>((resolve) => (enough = resolve));
    const server = createServer((req, res) => {
      req.resume();
      if (++attempts >= 15) enough();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no', recoverySuggestion: 'a token' } }));
    });
    const port = await listenLoopback(server);
    stopAll.push(() => closeServer(server));
    const client = createNetdiagClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't' });
    let stopSignal: AbortSignal | undefined;
    const events = followServiceEvents({
      client: { ...client, events: (o) => ((stopSignal = o?.signal), client.events(o)) },
      log: quiet,
      initialDelayMs: 1,
      maxDelayMs: 1,
    });
    stopAll.push(() => events.stop());
    events.start();
    await reached;
    expect(stopSignal).toBeDefined();
    // At most the wait or the request in progress now; each earlier retry added one that stayed until stop (issue 12 session 5).
    expect(getEventListeners(stopSignal as AbortSignal, 'abort').length).toBeLessThanOrEqual(1);
  });
});
