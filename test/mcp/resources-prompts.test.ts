import { ErrorCode, McpError, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShim } from '../helpers/shim-client';
import { type McpSession } from './helpers/tool-suite';
import { connectHttp } from './helpers/http-client';
import { type Lab, eventually, startLab } from './helpers/lab';

// Resources, prompts and completion through the real SDK Client, over stdio to the bundled shim and over
// Streamable HTTP to /mcp, against a loopback lab (real API, real runner, real binaries). `npm run build` first.
let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 30_000);
afterAll(async () => {
  await lab?.stop();
});

const shim = (token: string): Promise<McpSession> => connectShim({ NETDIAG_API_URL: lab.api.url, NETDIAG_TOKEN: token });
const http = (token: string): Promise<McpSession> => connectHttp(lab.api.url, token);

type Content = { type: string; uri?: string; text?: string; mimeType?: string };
/** The first content of a resource read, parsed as JSON. */
const firstJson = (r: { contents: readonly object[] }): unknown => JSON.parse((r.contents[0] as { text?: string } | undefined)?.text ?? 'null');

describe.each([
  ['stdio shim', shim],
  ['/mcp', http],
])('MCP resources, prompts and completion over %s', (_name, connect) => {
  let session: McpSession;
  beforeAll(async () => {
    session = await connect(lab.tokens.client);
  }, 20_000);
  afterAll(async () => {
    await session?.close();
  });

  it('a tool result links its job; the job reads back as JSON with the result and as text, and lists newest first', async () => {
    const r = await session.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
    expect(r.isError).toBeFalsy();
    const link = (r.content as Content[]).find((c) => c.type === 'resource_link');
    expect(link?.uri).toMatch(/^netdiag:\/\/jobs\/.+/);
    const read = await session.client.readResource({ uri: link?.uri ?? '' });
    const json = read.contents.find((c) => c.mimeType === 'application/json') as Content;
    const job = JSON.parse(json.text ?? '{}') as { tool: string; status: string; result: Record<string, unknown> };
    expect(job).toMatchObject({ tool: 'ping', status: 'succeeded', result: r.structuredContent });
    const text = read.contents.find((c) => c.mimeType === 'text/plain') as Content;
    expect(text.text).toMatch(/^ping job .+ against 127\.0\.0\.1: succeeded[\s\S]*1 sent, 1 received, 0% loss/);

    await session.client.callTool({ name: 'ping', arguments: { target: '127.0.0.2', count: 1 } });
    const { resources } = await session.client.listResources();
    expect(resources.slice(0, 2).map((x) => x.uri)).toEqual(['netdiag://policy', 'netdiag://tools']);
    const jobs = resources.filter((x) => x.uri.startsWith('netdiag://jobs/'));
    expect(jobs[0]?.title).toBe('ping 127.0.0.2 (succeeded)');
    expect(jobs.map((x) => x.uri)).toContain(link?.uri);
    const { resourceTemplates } = await session.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['netdiag://jobs/{id}']);
  }, 20_000);

  it('reads the effective target policy and the tool catalogue with availability per runner', async () => {
    const policy = firstJson(await session.client.readResource({ uri: 'netdiag://policy' })) as Record<string, unknown>;
    expect(policy).toMatchObject({ loopbackAllowed: true, intrusiveAllowed: false, allowedSuffixes: ['.lab.internal'] });
    expect(policy['allowedRanges']).toContain('127.0.0.0/8');
    expect(policy['alwaysDenied']).toContain('169.254.0.0/16');
    const catalogue = firstJson(await session.client.readResource({ uri: 'netdiag://tools' })) as {
      tools: Array<{ name: string; available: boolean; runners: string[]; unavailableOn: unknown[] }>;
    };
    expect(catalogue.tools.find((t) => t.name === 'nmap')).toMatchObject({ available: true, unavailableOn: [] });
    expect(catalogue.tools.find((t) => t.name === 'nmap')?.runners).toHaveLength(1);
  });

  it('an unknown job is -32002 resource not found, with one error prefix', async () => {
    const err = await session.client.readResource({ uri: 'netdiag://jobs/no-such-job' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(-32002);
    expect((err as McpError).message).toBe('MCP error -32002: Resource not found: netdiag://jobs/no-such-job');
  });

  it('a subscribed running job sends notifications/resources/updated until it ends', async () => {
    const updates: string[] = [];
    session.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    // Started over REST so the MCP side only subscribes: polite timing over ten closed ports lasts a few seconds.
    const res = await fetch(`${lab.api.url}/tools/nmap/execute?async=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${lab.tokens.client}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target: '127.0.0.1', ports: '20001-20010', timing: 'T2' }),
    });
    const { jobId } = (await res.json()) as { jobId: string };
    const uri = `netdiag://jobs/${jobId}`;
    await session.client.subscribeResource({ uri });
    expect(await eventually(async () => (await lab.jobStatus('nmap', '127.0.0.1')) === 'succeeded', 30_000)).toBe(true);
    expect(await eventually(async () => updates.length >= 2)).toBe(true);
    expect(new Set(updates)).toEqual(new Set([uri]));
    const job = firstJson(await session.client.readResource({ uri })) as { status: string };
    expect(job.status).toBe('succeeded');
    await session.client.unsubscribeResource({ uri });
  }, 40_000);

  it('another principal sees none of these jobs', async () => {
    const other = await connect(lab.tokens.reader);
    try {
      const { resources } = await other.client.listResources();
      expect(resources.filter((x) => x.uri.startsWith('netdiag://jobs/'))).toEqual([]);
      const mine = (await session.client.listResources()).resources.find((x) => x.uri.startsWith('netdiag://jobs/'));
      const err = await other.client.readResource({ uri: mine?.uri ?? '' }).catch((e: unknown) => e);
      expect((err as McpError).code).toBe(-32002);
    } finally {
      await other.close();
    }
  }, 20_000);

  it('lists the three diagnostic prompts and gets each with its arguments in the text', async () => {
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['diagnose-host', 'check-service', 'compare-paths']);
    const host = await session.client.getPrompt({ name: 'diagnose-host', arguments: { target: 'web.lab.internal' } });
    expect(host.messages[0]?.content).toMatchObject({
      type: 'text',
      text: expect.stringMatching(/1\. ping .*web\.lab\.internal[\s\S]*2\. traceroute[\s\S]*3\. .*nmap/),
    });
    const service = await session.client.getPrompt({ name: 'check-service', arguments: { target: '127.0.0.1', port: '443' } });
    expect(service.messages[0]?.content).toMatchObject({ text: expect.stringMatching(/nmap[\s\S]*tls_inspect[\s\S]*http_probe/) });
    const paths = await session.client.getPrompt({ name: 'compare-paths', arguments: { targetA: '127.0.0.1', targetB: '127.0.0.2' } });
    expect(paths.messages[0]?.content).toMatchObject({ text: expect.stringMatching(/mtr \{"target": "127\.0\.0\.1"[\s\S]*mtr \{"target": "127\.0\.0\.2"/) });
  });

  it('a bad prompt argument is one -32602 naming the argument and what it accepts', async () => {
    const err = await session.client.getPrompt({ name: 'check-service', arguments: { target: '127.0.0.1', port: '70000' } }).catch((e: unknown) => e);
    expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((err as McpError).message).toBe('MCP error -32602: Prompt check-service: argument "port" must be a TCP port, 1-65535; got "70000".');
  });

  it('completes a target used in an earlier call, lab host names from the suffixes, and job ids', async () => {
    const prompt = { type: 'ref/prompt' as const, name: 'diagnose-host' };
    const targets = await session.client.complete({ ref: prompt, argument: { name: 'target', value: '127.0.0.' } });
    expect(targets.completion.values).toEqual(expect.arrayContaining(['127.0.0.1', '127.0.0.2']));
    const hosts = await session.client.complete({ ref: prompt, argument: { name: 'target', value: 'web.la' } });
    expect(hosts.completion.values).toEqual(['web.lab.internal']);
    const jobs = (await session.client.listResources()).resources.filter((x) => x.uri.startsWith('netdiag://jobs/'));
    const id = jobs[0]?.uri.slice('netdiag://jobs/'.length) ?? '';
    const ids = await session.client.complete({ ref: { type: 'ref/resource', uri: 'netdiag://jobs/{id}' }, argument: { name: 'id', value: id.slice(0, 6) } });
    expect(ids.completion.values).toContain(id);
  });

  it('a refused tool argument reads with one error prefix and names the field and the allowed values', async () => {
    const err = await session.client.callTool({ name: 'nmap', arguments: { target: '127.0.0.1', timing: 'T9' } }).catch((e: unknown) => e);
    expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((err as McpError).message).toMatch(/^MCP error -32602: Invalid timing: .*"T0".*"T4"/);
    expect((err as McpError).message).not.toMatch(/MCP error -32602: MCP error/);
  });
});
