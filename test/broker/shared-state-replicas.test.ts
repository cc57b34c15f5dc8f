// Two API apps (replicas) on one real redis-server, sharing rate limits, service events and tool state through the
// Redis implementations (docs/design.md, "Broker"); jobs stay in memory here (the job store has its own suite).
// Requests go through app.request(): the HTTP layer is the same as in the processes, Redis is real.
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateBuckets } from '../../functions/node/broker/redis-rate-buckets';
import { RedisServiceEventLog } from '../../functions/node/broker/redis-service-event-log';
import { RedisToolStateStore } from '../../functions/node/broker/redis-tool-state-store';
import { createApp } from '../../functions/src/app';
import type { TokenRecord } from '../../functions/src/auth/tokens';
import { createDeps } from '../../functions/src/create-deps';
import type { AppDeps } from '../../functions/src/deps';
import type { ServiceEvent } from '../../functions/src/events/service-event-log';
import { TOKENS } from '../helpers/app';
import { type RedisServer, startRedisServer } from '../helpers/redis-server';
import { readSse } from '../helpers/sse';
import { readyConnections } from './shared-state-fixture';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const tokens: TokenRecord[] = [
  { id: 'client', sha256: sha256(TOKENS.client), scopes: ['tools:read', 'tools:run'] },
  { id: 'admin', sha256: sha256(TOKENS.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] },
];

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server.remove());

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()));
  cleanups = [];
});

let deployments = 0;
/** The buckets' clock, stopped: how long the calls take on a loaded machine must not refill a bucket (no timing in tests). */
const frozen = (): number => 1_700_000_000_000;
/** One replica: its own connections to the shared server, the shared key prefix of its deployment. */
async function replica(prefix: string) {
  const conns = await readyConnections(server.url);
  const redis = conns.command;
  const serviceEvents = new RedisServiceEventLog(redis, { prefix });
  const toolState = new RedisToolStateStore(redis, { prefix });
  const deps: AppDeps = createDeps({
    env: {},
    tokens,
    version: 'test',
    rateBuckets: new RedisRateBuckets(redis, { prefix, now: frozen }),
    serviceEvents,
    toolState,
  });
  const app = createApp(deps);
  await deps.registry.ready;
  cleanups.push(async () => {
    deps.jobs.close();
    deps.registry.close();
    await Promise.all([serviceEvents.close(), toolState.close()]);
    await conns.close();
  });
  const call = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    Promise.resolve(
      app.request(`http://localhost${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  /** The MCP SDK Client over Streamable HTTP to this replica's /mcp, its fetch handed to the app. */
  const mcp = async (token: string): Promise<Client> => {
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
      app.fetch(input instanceof Request ? input : new Request(input, init));
    const transport = new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
      fetch,
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'replica-test', version: '1.0.0' });
    await client.connect(transport);
    cleanups.unshift(async () => {
      await client.close();
      await deps.mcpSessions.closeAll();
    });
    return client;
  };
  return { deps, call, conns, mcp };
}

async function twoReplicas() {
  const prefix = `dep${++deployments}:`;
  return [await replica(prefix), await replica(prefix)] as const;
}

const ping = { target: '10.0.0.1' };

describe('two replicas on one Redis', () => {
  it('share the rate limit: 10 calls through API 1 and the 11th through API 2 gives 429', async () => {
    const [one, two] = await twoReplicas();
    for (let i = 0; i < 10; i += 1) expect((await one.call('POST', '/tools/ping/execute?async=true', TOKENS.client, ping)).status).toBe(202);
    const res = await two.call('POST', '/tools/ping/execute?async=true', TOKENS.client, ping);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('6');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    // Another principal is not affected on either replica.
    expect((await two.call('POST', '/tools/ping/execute?async=true', TOKENS.admin, ping)).status).toBe(202);
  });

  it('disable through API 1 holds on API 2 at once, with one tools.list_changed that both replicas deliver', async () => {
    const [one, two] = await twoReplicas();
    const seenOn = (r: typeof one): Promise<ServiceEvent> =>
      new Promise((resolve) => {
        const off = r.deps.events.subscribe((e) => {
          if (e.type !== 'tools.list_changed') return;
          off();
          resolve(e);
        });
      });
    const stream = await two.call('GET', '/events', TOKENS.admin);
    const frames = readSse(stream, (f) => f.event === 'tools.list_changed');
    const [onOne, onTwo] = [seenOn(one), seenOn(two)];
    const res = await one.call('POST', '/tools/ping/disable', TOKENS.admin);
    expect(await res.json()).toEqual({ name: 'ping', enabled: false, changed: true });
    const [e1, e2] = await Promise.all([onOne, onTwo]);
    expect(e1.id).toBe(e2.id);
    expect(e2.data).toEqual({ tool: 'ping', enabled: false });
    // Replica two's /events stream carries it with the shared id.
    const frame = (await frames).find((f) => f.event === 'tools.list_changed');
    expect(frame?.id).toBe(String(e1.id));
    expect(two.deps.registry.isEnabled('ping')).toBe(false);
    const refused = await two.call('POST', '/tools/ping/execute?async=true', TOKENS.client, ping);
    expect(refused.status).not.toBe(202);
    // Published once: the shared log holds exactly one tools.list_changed.
    const all = await two.deps.events.since(0);
    expect(all.events.filter((e) => e.type === 'tools.list_changed')).toHaveLength(1);
    // Disabling again through API 2 changes nothing and announces nothing.
    expect(await (await two.call('POST', '/tools/ping/disable', TOKENS.admin)).json()).toEqual({ name: 'ping', enabled: false, changed: false });
  });

  it('sends notifications/tools/list_changed to the MCP clients of both replicas, and both lists follow', async () => {
    const [one, two] = await twoReplicas();
    const clients = [await one.mcp(TOKENS.client), await two.mcp(TOKENS.client)];
    const changed = clients.map((client) => new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve())));
    for (const client of clients) expect((await client.listTools()).tools.map((t) => t.name)).toContain('nmap');
    expect((await one.call('POST', '/tools/nmap/disable', TOKENS.admin)).status).toBe(200);
    await Promise.all(changed);
    for (const client of clients) expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('nmap');
  });

  it('replays on API 2 the job events API 1 published (Last-Event-ID across replicas)', async () => {
    const [one, two] = await twoReplicas();
    const first = await one.deps.events.publish('probe', {});
    const queued = await one.call('POST', '/tools/ping/execute?async=true', TOKENS.client, ping);
    const { jobId } = (await queued.json()) as { jobId: string };
    const stream = await two.call('GET', '/events', TOKENS.client, undefined, { 'last-event-id': String(first.id) });
    const frames = await readSse(stream, (f) => f.event === 'job.queued');
    const replayed = frames.find((f) => f.event === 'job.queued');
    expect(JSON.parse(replayed?.data ?? '{}')).toMatchObject({ jobId, tool: 'ping', status: 'queued' });
    expect(Number(replayed?.id)).toBeGreaterThan(first.id);
  });

  it('fails closed with 503 UNAVAILABLE when Redis is gone, and recovers by itself', async () => {
    const own = await startRedisServer();
    const conns = await readyConnections(own.url);
    const deps = createDeps({ env: {}, tokens, version: 'test', rateBuckets: new RedisRateBuckets(conns.command) });
    const app = createApp(deps);
    cleanups.push(async () => {
      deps.jobs.close();
      await conns.close();
      await own.remove();
    });
    const call = () =>
      Promise.resolve(
        app.request('http://localhost/tools/ping/execute?async=true', {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json' },
          body: JSON.stringify(ping),
        }),
      );
    expect((await call()).status).toBe(202);
    await own.stop();
    const down = await call();
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({
      code: 'UNAVAILABLE',
      details: { component: 'rate-limit' },
    });
    expect(await deps.jobs.list()).toHaveLength(1); // nothing queued by the refused call
    await own.start();
    await new Promise<void>((resolve) => (conns.command.status === 'ready' ? resolve() : conns.command.once('ready', () => resolve())));
    expect((await call()).status).toBe(202);
  });
});
