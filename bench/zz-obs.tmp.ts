/**
 * Issue 6: what tracing and metrics cost per call. Two stacks side by side, each an API and a runner on loopback:
 * one with OpenTelemetry off (OTEL_SDK_DISABLED=true), one with spans exported through the SDK's batch span
 * processor (OTLP/HTTP protobuf, the default) to a sink on 127.0.0.1 that drains and discards, and metrics recorded.
 * Calls interleave in random order, each after a short pause, so drift and leftover work hit both alike. Figures only.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningApi, startApi, startRunner } from '../test/helpers/processes';
import { type TestTokens, makeTokens } from '../test/helpers/tokens';
import { alternate, ms, printTable, summarize } from './stats';

/** Accepts any OTLP export and throws it away; counts the requests. */
async function startSink(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Like stats.alternate, but in a random order each round and with a pause before each call (not timed): a call
 * leaves work behind in its stack (the runner's next claim, log writes), which would otherwise land on whichever
 * call comes next and bias the comparison.
 */
async function interleave(rounds: number, settleMs: number, fns: Record<string, () => Promise<unknown>>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  const names = Object.keys(fns);
  for (let i = 0; i < rounds; i += 1) {
    for (const name of [...names].sort(() => Math.random() - 0.5)) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const t0 = performance.now();
      await fns[name]?.();
      out[name]?.push(performance.now() - t0);
    }
  }
  return out;
}

async function stack(tokens: TestTokens, env: Record<string, string>): Promise<{ api: RunningApi; stop: () => Promise<void> }> {
  const common = { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', ...env };
  const api = await startApi(tokens, common);
  const runner = await startRunner(api, tokens, common);
  return {
    api,
    stop: async () => {
      await runner.stop();
      await api.stop();
    },
  };
}

export async function benchObservability(rounds = Number(process.env['BENCH_ROUNDS'] ?? 200)): Promise<void> {
  const tokens = makeTokens();
  const sink = await startSink();
  const off = await stack(tokens, { OTEL_SDK_DISABLED: 'true' });
  const on = await stack(tokens, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, ...(process.env['XSAMPLER'] ? { OTEL_TRACES_SAMPLER: process.env['XSAMPLER'] } : {}) });
  const headers = { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' };
  const call = (api: RunningApi, body: string, want: number) => async (): Promise<void> => {
    const res = await fetch(`${api.url}/tools/ping/execute`, { method: 'POST', headers, body });
    if (res.status !== want) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const ping = JSON.stringify({ target: '127.0.0.1', count: 1 });
  const refused = JSON.stringify({ target: '0.0.0.0' });
  try {
    await alternate(20, { a: call(off.api, ping, 200), b: call(on.api, ping, 200), c: call(off.api, refused, 403), d: call(on.api, refused, 403) });
    const t = await interleave(rounds, 5, {
      pingOff: call(off.api, ping, 200),
      pingOn: call(on.api, ping, 200),
      refusedOff: call(off.api, refused, 403),
      refusedOn: call(on.api, refused, 403),
    });
    const s = (k: string) => summarize(t[k] ?? []);
    printTable('tracing + metrics: off vs on (issue 6: ≤ 0.3 ms added per call at the median, batch span processor)', [
      ['ping -c1 via REST, telemetry off', s('pingOff')],
      ['ping -c1 via REST, traced + metrics (OTLP)', s('pingOn')],
      ['refused call (API only), telemetry off', s('refusedOff')],
      ['refused call (API only), traced + metrics', s('refusedOn')],
    ]);
    // Paired: on minus off within the same round, so load that comes and goes (other work on the host) cancels out.
    const paired = (on: string, off: string): string => {
      const a = t[on] ?? [];
      const b = t[off] ?? [];
      const d = summarize(a.map((v, i) => v - (b[i] ?? v)));
      return `median of paired differences ${ms(d.median)} (difference of medians ${ms(s(on).median - s(off).median)})`;
    };
    process.stdout.write(`  added per ping call (API + runner spans, metrics): ${paired('pingOn', 'pingOff')}\n`);
    process.stdout.write(`  added per refused call (API span, metrics):        ${paired('refusedOn', 'refusedOff')}\n`);

    const scrapes = await alternate(50, {
      text: async () => (await fetch(`${on.api.url}/metrics`, { headers: { authorization: `Bearer ${tokens.admin}` } })).text(),
      json: async () => (await fetch(`${on.api.url}/metrics?format=json`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json(),
    });
    printTable('GET /metrics (whole scrape, after the calls above)', [
      ['Prometheus text', summarize(scrapes['text'] ?? [])],
      ['JSON', summarize(scrapes['json'] ?? [])],
    ]);
    process.stdout.write(`  OTLP export requests received by the sink so far: ${sink.requests()}\n`);
  } finally {
    await on.stop();
    await off.stop();
    await sink.close();
  }
}
