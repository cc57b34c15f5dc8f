import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, makeTestApp } from '../test/helpers/app';
import { startApi } from '../test/helpers/processes';
import { makeTokens } from '../test/helpers/tokens';

const REFUSED = [{ target: '0.0.0.0' }, { target: '010.0.0.1' }, { target: ';id' }, { target: '169.254.169.254' }, { target: '10.0.0.0/24' }];

/** Requests per second that `call` sustains with `concurrency` loops for `ms`. */
async function rate(call: (i: number) => Promise<void>, concurrency: number, ms: number): Promise<number> {
  let done = 0;
  const until = performance.now() + ms;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      await call(done);
      done += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done / ((performance.now() - t0) / 1000);
}

/** Issue 3: refused calls per second through the API (the API is one Node process: one core). */
export async function benchValidationReject(): Promise<void> {
  const bodies = REFUSED.map((b) => JSON.stringify(b));
  const t = makeTestApp();
  const inProcess = await rate(
    async (i) => {
      const res = await t.app.request('http://localhost/tools/ping/execute', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json' },
        body: bodies[i % bodies.length] ?? '',
      });
      if (res.status < 400) throw new Error(`not refused: ${res.status}`);
      await res.arrayBuffer();
    },
    8,
    2000,
  );
  t.jobs.close();

  const tokens = makeTokens();
  const api = await startApi(tokens, { LOG_LEVEL: 'warn', MCP_RATE_LIMIT_PER_MINUTE: '0' });
  const headers = { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' };
  try {
    const viaHttp = await rate(
      async (i) => {
        const res = await fetch(`${api.url}/tools/ping/execute`, { method: 'POST', headers, body: bodies[i % bodies.length] ?? '' });
        if (res.status < 400) throw new Error(`not refused: ${res.status}`);
        await res.arrayBuffer();
      },
      32,
      4000,
    );
    process.stdout.write('\nrefused calls per second (issue 3: ≥ 5,000/s through the API on one core)\n');
    process.stdout.write(`  in process (app.request, no HTTP)            ${inProcess.toFixed(0).padStart(8)} /s\n`);
    process.stdout.write(`  real API over HTTP (32 fetch loops, same 2 cores)  ${viaHttp.toFixed(0).padStart(8)} /s\n`);
    const wrk = wrkRate(`${api.url}/tools/ping/execute`, tokens.client, bodies[0] ?? '');
    process.stdout.write(
      wrk === undefined
        ? "  (install wrk for a load generator that does not compete for the API's core)\n"
        : `  real API over HTTP (wrk -t1 -c32, 4 s)       ${wrk.toFixed(0).padStart(8)} /s\n`,
    );
  } finally {
    await api.stop();
  }
}

/** Requests per second wrk sustains (one thread, 32 connections, 4 s), or undefined without wrk. */
function wrkRate(url: string, token: string, body: string): number | undefined {
  if (!existsSync('/usr/bin/wrk')) return undefined;
  const script = join(mkdtempSync(join(tmpdir(), 'netdiag-wrk-')), 'post.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${token}"\n`,
  );
  const out = execFileSync('/usr/bin/wrk', ['-t1', '-c32', '-d4s', '-s', script, url], { encoding: 'utf8' });
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  return rate === undefined ? undefined : Number(rate);
}
