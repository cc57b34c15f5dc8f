import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../../functions/mcp/answers';
import { type Running, type RunningApi, closedPort, startApi, startRunner } from '../helpers/processes';
import { connectShim } from '../helpers/shim-client';
import { type TestTokens, makeTokens } from '../helpers/tokens';
import { connectHttp } from './helpers/http-client';

// Intrusive scans allowed by the operator (API and runner), loopback allowed, an audit file: a real unprivileged
// runner can run a connect scan with an intrusive-category script (ssh-auth-methods) against a closed loopback port.
let tokens: TestTokens;
let api: RunningApi;
let runner: Running;
let auditFile: string;
let closed: number;

beforeAll(async () => {
  tokens = makeTokens();
  auditFile = join(tokens.dir, 'audit.log');
  closed = await closedPort();
  api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_ALLOW_INTRUSIVE: 'true', MCP_AUDIT_FILE: auditFile });
  runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_ALLOW_INTRUSIVE: 'true' }, { waitFor: 'nmap' });
}, 30_000);
afterAll(async () => {
  await runner?.stop();
  await api?.stop();
});

const nmapJobs = async (): Promise<number> =>
  ((await (await fetch(`${api.url}/jobs?tool=nmap`, { headers: { authorization: `Bearer ${tokens.admin}` } })).json()) as { total: number }).total;
const confirmations = (): Array<{ outcome: string; target: string; tool: string }> =>
  readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"kind":"confirm"'))
    .map((l) => JSON.parse(l) as { outcome: string; target: string; tool: string });
const intrusive = (): Record<string, unknown> => ({ target: '127.0.0.1', ports: String(closed), scripts: ['ssh-auth-methods'] });
const text = (r: object): string => (((r as { content?: unknown }).content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');

interface Session {
  client: Client;
  close(): Promise<void>;
}

const transports: Array<[string, (elicit: boolean) => Promise<Session>]> = [
  [
    'stdio shim',
    (elicit) => connectShim({ NETDIAG_API_URL: api.url, NETDIAG_TOKEN: tokens.client }, elicit ? { capabilities: { elicitation: { form: {} } } } : {}),
  ],
  ['/mcp', (elicit) => connectHttp(api.url, tokens.client, elicit ? { capabilities: { elicitation: { form: {} } } } : {})],
];

describe.each(transports)('confirmation before an intrusive scan over %s', (name, connect) => {
  /** A client that answers every elicitation with `answer` and records what it was asked. */
  const eliciting = async (answer: ElicitResult): Promise<Session & { asked: string[] }> => {
    const s = await connect(true);
    const asked: string[] = [];
    s.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params.message);
      return answer;
    });
    return { ...s, asked };
  };

  it('a client that declines is asked (confirm: true does not skip it) with the target, the scan and its duration; nothing runs; audited', async () => {
    const s = await eliciting({ action: 'decline' });
    try {
      const before = await nmapJobs();
      const r = await s.client.callTool({ name: 'nmap', arguments: { ...intrusive(), confirm: true } });
      expect(s.asked).toHaveLength(1);
      expect(s.asked[0]).toMatch(/nmap against 127\.0\.0\.1 with scripts ssh-auth-methods\. It may take up to 600 s/);
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^CANCELLED: The user did not confirm nmap against 127\.0\.0\.1 .*nothing was run/);
      expect(await nmapJobs()).toBe(before);
      if (name === '/mcp') expect(confirmations().at(-1)).toMatchObject({ tool: 'nmap', target: '127.0.0.1', outcome: 'declined' });
    } finally {
      await s.close();
    }
  }, 20_000);

  it('a client that accepts runs the scan', async () => {
    const s = await eliciting({ action: 'accept', content: { confirm: true } });
    try {
      const before = await nmapJobs();
      const r = await s.client.callTool({ name: 'nmap', arguments: intrusive() });
      expect(s.asked).toHaveLength(1);
      expect(r.isError).toBeFalsy();
      expect(text(r)).toMatch(new RegExp(`${closed}/tcp\\s+closed`));
      expect(await nmapJobs()).toBe(before + 1);
      if (name === '/mcp') expect(confirmations().at(-1)).toMatchObject({ outcome: 'confirmed' });
    } finally {
      await s.close();
    }
  }, 30_000);

  it('a connect scan without intrusive options is not asked about', async () => {
    const s = await eliciting({ action: 'decline' });
    try {
      const r = await s.client.callTool({ name: 'nmap', arguments: { target: '127.0.0.1', ports: String(closed) } });
      expect(r.isError).toBeFalsy();
      expect(s.asked).toEqual([]);
    } finally {
      await s.close();
    }
  }, 30_000);

  it('a client without elicitation gets the confirm requirement, and confirm: true runs the scan', async () => {
    const s = await connect(false);
    try {
      const { tools } = await s.client.listTools();
      expect(tools.find((t) => t.name === 'nmap')?.inputSchema.properties?.['confirm']).toMatchObject({ type: 'boolean' });
      const before = await nmapJobs();
      const refused = await s.client.callTool({ name: 'nmap', arguments: intrusive() });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/needs the user's confirmation; nothing was run\.\nWhat to do: .*"confirm": true/);
      expect(refused._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'FORBIDDEN', details: { confirmationRequired: true } });
      expect(await nmapJobs()).toBe(before);
      if (name === '/mcp') expect(confirmations().at(-1)).toMatchObject({ outcome: 'not-confirmed' });
      const ran = await s.client.callTool({ name: 'nmap', arguments: { ...intrusive(), confirm: true } });
      expect(ran.isError).toBeFalsy();
      expect(await nmapJobs()).toBe(before + 1);
    } finally {
      await s.close();
    }
  }, 30_000);
});
