import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { type DnsServer, startDnsServer } from '../../helpers/dns-server';
import { type Running, type RunningApi, startApi, startRunner } from '../../helpers/processes';
import { makeSelfSignedCert } from '../../helpers/tls-cert';
import { type TestTokens, makeTokens } from '../../helpers/tokens';

/**
 * A loopback lab for MCP tests: API + one runner (loopback allowed, capacity 1 so a stuck slot shows), a DNS
 * responder for dig, an HTTP and an HTTPS server for the probes and nmap. Nothing here listens beyond 127.0.0.1.
 */
export interface Lab {
  tokens: TestTokens;
  api: RunningApi;
  runner: Running;
  dns: DnsServer;
  httpPort: number;
  httpsPort: number;
  /** Jobs the API holds (admin view). */
  jobCount(): Promise<number>;
  /** Status of the newest job of `tool` against `target`. */
  jobStatus(tool: string, target: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

const listen = (s: Server): Promise<number> => new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

export async function startLab(): Promise<Lab> {
  const tokens = makeTokens();
  const dns = await startDnsServer([{ name: 'web.lab.internal', type: 'A', ttl: 60, data: '127.0.0.1' }]);
  const http = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello from the lab\n'));
  const cert = makeSelfSignedCert({ commonName: 'web.lab.internal' });
  const https = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('tls hello'));
  const httpPort = await listen(http);
  const httpsPort = await listen(https);
  // A short queue wait: a call that finds the single slot still taken fails with NO_RUNNER instead of waiting long.
  const api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_QUEUE_WAIT_SEC: '5' });
  const runner = await startRunner(
    api,
    tokens,
    { MCP_ALLOW_LOOPBACK: 'true', NETDIAG_DNS_RESOLVER: `127.0.0.1:${dns.port}`, NETDIAG_RUNNER_CAPACITY: '1' },
    { waitFor: 'dig' },
  );
  return {
    tokens,
    api,
    runner,
    dns,
    httpPort,
    httpsPort,
    jobCount: async () => {
      const res = await fetch(`${api.url}/jobs`, { headers: { authorization: `Bearer ${tokens.admin}` } });
      return ((await res.json()) as { total: number }).total;
    },
    jobStatus: async (tool, target) => {
      const res = await fetch(`${api.url}/jobs?tool=${tool}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
      return ((await res.json()) as { jobs: Array<{ target: string; status: string }> }).jobs.find((j) => j.target === target)?.status;
    },
    stop: async () => {
      await runner.stop();
      await api.stop();
      await dns.stop();
      http.close();
      https.close();
    },
  };
}

/** PIDs of processes whose command line mentions `needle` (e.g. a ping target no other test uses). */
export async function processesMentioning(needle: string): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
  const found: number[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(needle)) found.push(Number(pid));
  }
  return found;
}

/** Poll `check` until it holds or `ms` pass; returns whether it held. A wait for a condition, not a timing assertion. */
export async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
