/**
 * Issue 16 figures: how long a cancelled job's processes live on. `ping -c 10 -i 1` on a unique 127.x address is
 * cancelled 1.5 s in, by an MCP client (notifications/cancelled over /mcp) and by DELETE /jobs/{id}; measured from
 * the client's cancel until every process of the job (ping and the sandbox helper) is gone from /proc, zombies
 * included. Also `nmap -T0` (a scan that is still running) cancelled by DELETE. Configuration as `npm start`
 * (defaults, loopback allowed). Prints the distribution; asserts nothing. Loopback only.
 */
import { jobProcesses, waitGone } from '../test/helpers/proc-watch';
import { type RunningApi, startApi, startRunner } from '../test/helpers/processes';
import { makeTokens } from '../test/helpers/tokens';
import { connectHttp } from '../test/mcp/helpers/http-client';
import { startJob, uniqueLoopback } from '../test/runners/support';
import { ms, summarize } from './stats';

const CANCEL_AFTER_MS = 1500;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Sample {
  goneMs: number | undefined;
  sawZombie: boolean;
}

/** Snapshot the job's pids, cancel, then time until they are all gone. */
async function measure(binary: string, address: string, cancel: () => void): Promise<Sample> {
  const pids = jobProcesses(binary, address).map((p) => p.pid);
  if (pids.length === 0) throw new Error(`no ${binary} process for ${address} ${CANCEL_AFTER_MS} ms in`);
  const t0 = performance.now();
  cancel();
  const { goneAfterMs, sawZombie } = await waitGone(pids, t0, 10_000);
  return { goneMs: goneAfterMs, sawZombie };
}

function print(name: string, samples: Sample[]): void {
  const times = samples.map((s) => s.goneMs ?? Number.POSITIVE_INFINITY);
  const s = summarize(times);
  const sorted = [...times].sort((a, b) => a - b);
  const over = times.filter((t) => t > 500).length;
  const zombies = samples.filter((x) => x.sawZombie).length;
  process.stdout.write(
    `  ${name.padEnd(40)} median ${ms(s.median).padStart(11)}  p95 ${ms(s.p95).padStart(11)}  max ${ms(sorted[sorted.length - 1] ?? NaN).padStart(11)}  >500 ms: ${over}/${s.n}  briefly a zombie: ${zombies}/${s.n}\n`,
  );
  process.stdout.write(`    all (ms): ${sorted.map((t) => t.toFixed(0)).join(' ')}\n`);
}

async function viaDelete(api: RunningApi, token: string, tool: 'ping' | 'nmap', params: (address: string) => Record<string, unknown>): Promise<Sample> {
  const address = uniqueLoopback();
  const jobId = await startJob(api, token, tool, params(address));
  await sleep(CANCEL_AFTER_MS);
  return measure(tool, address, () => void fetch(`${api.url}/jobs/${jobId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }));
}

async function viaMcp(session: Awaited<ReturnType<typeof connectHttp>>): Promise<Sample> {
  const address = uniqueLoopback();
  const ac = new AbortController();
  const call = session.client.callTool({ name: 'ping', arguments: { target: address, count: 10, intervalSec: 1 } }, undefined, {
    signal: ac.signal,
    timeout: 60_000,
  });
  call.catch(() => undefined);
  await sleep(CANCEL_AFTER_MS);
  // Aborting the SDK request sends notifications/cancelled to the server.
  return measure('ping', address, () => ac.abort('bench cancel'));
}

export async function benchCancelLatency(tries = Number(process.env['BENCH_CANCEL_TRIES'] ?? 20)): Promise<void> {
  const tokens = makeTokens();
  const api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' });
  const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', LOG_LEVEL: 'warn' });
  const session = await connectHttp(api.url, tokens.client);
  try {
    const mcp: Sample[] = [];
    const del: Sample[] = [];
    for (let i = 0; i < tries; i += 1) {
      mcp.push(await viaMcp(session));
      del.push(await viaDelete(api, tokens.client, 'ping', (target) => ({ target, count: 10, intervalSec: 1 })));
    }
    const nmap: Sample[] = [];
    for (let i = 0; i < Math.ceil(tries / 2); i += 1) {
      nmap.push(await viaDelete(api, tokens.client, 'nmap', (target) => ({ target, ports: '1-1000', timing: 'T0' })));
    }
    process.stdout.write(`\ncancel latency: client's cancel → job's processes gone from /proc (zombies included), cancelled ${CANCEL_AFTER_MS} ms in\n`);
    print('MCP notifications/cancelled, ping -c 10', mcp);
    print('DELETE /jobs/{id}, ping -c 10', del);
    print('DELETE /jobs/{id}, nmap -T0 1-1000', nmap);
    process.stdout.write('  (goal: every try under 500 ms, median under 100 ms)\n');
  } finally {
    await session.close();
    await runner.stop();
    await api.stop();
  }
}
