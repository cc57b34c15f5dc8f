/**
 * Floors for the headline bench (bench/npm-start.ts, issue 12): what any client-server design pays on this machine
 * for each path, with no API, runner or binary behind it. Each is a separate small process on loopback answering at
 * once, started once per pass, and called by the very same client code as the real path (npm-start.ts builds the
 * calls):
 * - REST: the REST path's fetch (same headers and body) to a bare node:http server (floor-rest-server.ts);
 * - MCP stdio: the SDK Client over StdioClientTransport to a one-tool McpServer (floor-mcp-stdio-server.ts);
 * - MCP over HTTP: the SDK Client over Streamable HTTP (test/mcp/helpers/http-client) to a one-tool McpServer over the
 *   SDK's Streamable HTTP server transport, stateful and answering JSON as our /mcp does (floor-mcp-http-server.ts);
 * - the SDK client alone over HTTP: the same Client to a bare node:http server answering canned JSON
 *   (floor-canned-mcp-server.ts), since our /mcp answers a tools/call without the SDK's server transport.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectHttp } from '../test/mcp/helpers/http-client';
import { ROOT } from '../test/helpers/processes';

const script = (name: string): string => `${ROOT}bench/${name}`;

/** The floor calls' names in a round. */
export const FLOOR = { stdio: 'floor MCP stdio', rest: 'floor REST', http: 'floor MCP HTTP', httpClient: 'floor MCP HTTP, SDK client only' } as const;

/** The real call the floors follow: see withFloors. */
const AFTER: Record<string, readonly string[]> = { 'direct ping': [FLOOR.stdio, FLOOR.rest, FLOOR.http, FLOOR.httpClient] };

/**
 * One round's calls with the floors, and its units (npm-start.ts `rounds` shuffles the units each round): the floors
 * are a block right after the direct ping, not after their own path's call, whose leftover work would slow them.
 * Measured on 2 cores at load 5–7 (40 rounds × 2 passes, each floor at three places in the same rounds, medians):
 * there MCP stdio 1.4–1.7 ms, REST 2.4–2.7, MCP HTTP 5.8–6.4, SDK client only 3.4–3.7; right after its own path's
 * call 2.2–2.3, 5.2–5.6, 7.8–9.3, 4.4–4.6 (the stack's work after answering competes for the cores); after the round's
 * nmap calls 4.8–4.9, 3.1–3.8, 7.6–7.9, 4.8–4.9 (the first call after the nmap wait pays the wake-up).
 */
export function withFloors<T>(calls: Record<string, T>, floors: Record<string, T>): { calls: Record<string, T>; units: string[][] } {
  const out: Record<string, T> = {};
  const units: string[][] = [];
  for (const [name, call] of Object.entries(calls)) {
    out[name] = call;
    const unit = [name];
    for (const f of AFTER[name] ?? [])
      if (floors[f]) {
        out[f] = floors[f];
        unit.push(f);
      }
    units.push(unit);
  }
  return { calls: out, units };
}

interface Listener {
  url: string;
  stop(): Promise<void>;
}

/** Start a floor server that prints its loopback port; its stdin is a pipe, so it exits when this process is gone. */
async function startListener(name: string): Promise<Listener> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script(name)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    if (!child.stdout) return reject(new Error(`${name} has no stdout`));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(Number(line)));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${String(code)} before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Floors {
  /** Base URL of the REST floor server: the REST path's fetch goes to `${restUrl}/tools/<tool>/execute`. */
  restUrl: string;
  /** The SDK Client connected over stdio to the stdio floor server. */
  stdio: Client;
  /** The SDK Client connected over Streamable HTTP to the HTTP floor server. */
  http: Client;
  /** The SDK Client connected over Streamable HTTP to the canned server (no SDK on the server side). */
  httpClientOnly: Client;
  close(): Promise<void>;
}

/** Start the floor servers (three on loopback, one over stdio) and connect the clients, tools listed once as the real paths do. */
export async function startFloors(token: string): Promise<Floors> {
  const stops: Array<() => Promise<unknown>> = [];
  // In the reverse order of starting: each client goes before its server.
  const close = async (): Promise<void> => {
    for (const stop of [...stops].reverse()) await stop().catch(() => undefined);
  };
  try {
    const rest = await startListener('floor-rest-server.ts');
    stops.push(rest.stop);
    const mcpHttp = await startListener('floor-mcp-http-server.ts');
    stops.push(mcpHttp.stop);
    const canned = await startListener('floor-canned-mcp-server.ts');
    stops.push(canned.stop);
    const stdio = new Client({ name: 'bench', version: '1' });
    stops.push(() => stdio.close());
    const server = script('floor-mcp-stdio-server.ts');
    await stdio.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', server],
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '' },
        stderr: 'ignore',
      }),
    );
    await stdio.listTools();
    const http = await connectHttp(mcpHttp.url, token);
    stops.push(http.close);
    await http.client.listTools();
    const clientOnly = await connectHttp(canned.url, token);
    stops.push(clientOnly.close);
    await clientOnly.client.listTools();
    return { restUrl: rest.url, stdio, http: http.client, httpClientOnly: clientOnly.client, close };
  } catch (err) {
    await close();
    throw err;
  }
}
