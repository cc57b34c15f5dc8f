/**
 * Issue 5 figures: shim cold start against a bare `node -e ''` (same run, interleaved), bundle size, and what MCP
 * over Streamable HTTP (/mcp) adds to a tool call compared with REST for the same call. Prints; asserts nothing.
 * Loopback only. The cold-start helpers are bench/path-overhead.ts's own.
 */
import { startApi, startRunner } from '../test/helpers/processes';
import { makeTokens } from '../test/helpers/tokens';
import { connectHttp } from '../test/mcp/helpers/http-client';
import { spawnInstantRunner } from './instant-runner';
import { shimColdStart } from './path-overhead';
import { alternate, cpuOf, ms, printTable, summarize } from './stats';

const PING = { target: '127.0.0.1', count: 1 };

/** The same ping through REST and through /mcp, alternating, on one API. */
async function httpOverhead(title: string, apiUrl: string, token: string, rounds: number, apiPid: number | undefined): Promise<void> {
  const session = await connectHttp(apiUrl, token);
  await session.client.listTools();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = JSON.stringify(PING);
  const viaRest = async (): Promise<void> => {
    const res = await fetch(`${apiUrl}/tools/ping/execute`, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`REST ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const viaMcp = async (): Promise<void> => {
    const r = await session.client.callTool({ name: 'ping', arguments: PING });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  try {
    await alternate(20, { rest: viaRest, mcp: viaMcp });
    const t = await alternate(rounds, { rest: viaRest, mcp: viaMcp });
    const restTimes = t['rest'] ?? [];
    const mcpTimes = t['mcp'] ?? [];
    const rest = summarize(restTimes);
    const mcp = summarize(mcpTimes);
    printTable(title, [
      ['REST: POST /tools/ping/execute', rest],
      ['MCP: tools/call on /mcp (SDK client)', mcp],
    ]);
    // Each round runs both back to back, so the per-round difference cancels slow drifts of the machine.
    const paired = summarize(mcpTimes.map((m, i) => m - (restTimes[i] ?? m)));
    process.stdout.write(
      `  added by MCP over HTTP: median ${ms(mcp.median - rest.median)}; per-round difference median ${ms(paired.median)}, p95 ${ms(paired.p95)} (target ≤ 0.5 ms at the median)\n`,
    );
    // The API's own CPU per call, each kind in a block of its own (alternating calls cannot be told apart in it).
    const apiCpu = async (call: () => Promise<void>): Promise<number> => {
      const before = cpuOf(apiPid);
      for (let i = 0; i < rounds; i += 1) await call();
      return ((cpuOf(apiPid) - before) * 1000) / rounds;
    };
    const restCpu = await apiCpu(viaRest);
    const mcpCpu = await apiCpu(viaMcp);
    process.stdout.write(
      `  API CPU per call (${rounds} calls of each in a block, 10 ms ticks, runner legs included): REST ${ms(restCpu)}, MCP ${ms(mcpCpu)}, MCP − REST ${ms(mcpCpu - restCpu)}\n`,
    );
  } finally {
    await session.close();
  }
}

export async function benchMcp(rounds = Number(process.env['BENCH_ROUNDS'] ?? 200)): Promise<void> {
  const tokens = makeTokens();
  // Hundreds of calls with one token: rate limiting off (the product default would answer 429 after 10).
  const api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' });
  try {
    await shimColdStart({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client }, 20);
    const instant = spawnInstantRunner(api.url, tokens.runner);
    await new Promise((r) => setTimeout(r, 500)); // let it park its claims
    await httpOverhead(
      'the call path alone (a stand-in runner answers each ping job at once): REST vs MCP over /mcp',
      api.url,
      tokens.client,
      rounds * 2,
      api.proc.pid,
    );
    await instant.stop();
    const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', LOG_LEVEL: 'warn' });
    try {
      await httpOverhead('ping -c1 127.0.0.1 with the real runner: REST vs MCP over /mcp', api.url, tokens.client, rounds, api.proc.pid);
    } finally {
      await runner.stop();
    }
  } finally {
    await api.stop();
  }
}
