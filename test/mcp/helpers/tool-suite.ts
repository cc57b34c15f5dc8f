import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, LoggingMessageNotificationSchema, McpError, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_META_KEY } from '../../../functions/mcp/call-meta';
import { type Lab, eventually, processesMentioning, startLab } from './lab';

export interface McpSession {
  client: Client;
  close(): Promise<void>;
}

const text = (r: object): string => (((r as { content?: unknown }).content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');

/** Progress values must strictly increase (the spec's rule). */
const increasing = (events: Progress[]): boolean => events.every((e, i) => i === 0 || e.progress > (events[i - 1]?.progress ?? -1));

/**
 * The same end-to-end checks for each transport (stdio shim, /mcp): list, every tool on loopback, progress,
 * cancellation, protocol errors, retry by idempotency key. `connect` gets a fresh session on the lab.
 */
export function toolSuite(transport: string, connect: (lab: Lab) => Promise<McpSession>): void {
  describe(`MCP over ${transport} (loopback lab)`, () => {
    let lab: Lab;
    let session: McpSession;
    beforeAll(async () => {
      lab = await startLab();
      session = await connect(lab);
      await session.client.listTools(); // the SDK client now checks every structuredContent against its outputSchema
    }, 30_000);
    afterAll(async () => {
      await session?.close();
      await lab?.stop();
    });

    const call = async (name: string, args: Record<string, unknown>): Promise<{ data: Record<string, unknown>; text: string }> => {
      const r = await session.client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(text(r));
      return { data: r.structuredContent as Record<string, unknown>, text: text(r) };
    };

    it('lists every tool with title, a description naming the allowed targets, schemas and all four annotations', async () => {
      const { tools } = await session.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['ping', 'traceroute', 'mtr', 'nmap', 'dig', 'tls_inspect', 'http_probe']));
      for (const t of tools) {
        expect(t.title).toBeTruthy();
        expect(t.description).toMatch(/Allowed targets: .*127\.0\.0\.0\/8/);
        expect(t.inputSchema.type).toBe('object');
        expect(t.outputSchema?.type).toBe('object');
        expect(Object.keys(t.annotations ?? {})).toEqual(expect.arrayContaining(['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']));
        expect(t._meta).toEqual({ 'io.netdiag/available': true });
      }
    });

    it('calls every tool against loopback servers; results match the output schemas and come with text', async () => {
      const ping = await call('ping', { target: '127.0.0.1', count: 1 });
      expect(ping.data).toMatchObject({ transmitted: 1, received: 1 });
      expect(ping.text).toMatch(/1 sent, 1 received, 0% loss/);
      const nmap = await call('nmap', { target: '127.0.0.1', ports: [lab.httpPort, lab.httpsPort].sort((a, b) => a - b).join(',') });
      expect(nmap.text).toMatch(new RegExp(`PORT\\s+STATE[\\s\\S]*${lab.httpPort}/tcp\\s+open`));
      const trace = await call('traceroute', { target: '127.0.0.1', maxHops: 3, queries: 1, waitSec: 1 });
      expect(trace.data).toMatchObject({ reachedDestination: true });
      expect(trace.text).toMatch(/^ 1 {2}127\.0\.0\.1 /m);
      const mtr = await call('mtr', { target: '127.0.0.1', cycles: 1, waitSec: 1 });
      expect((mtr.data['hops'] as unknown[]).length).toBe(1);
      const before = lab.dns.queries.length;
      const dig = await call('dig', { name: 'web.lab.internal', type: 'A' });
      expect(dig.data).toMatchObject({ status: 'NOERROR' });
      expect(lab.dns.queries.length).toBe(before + 1);
      const tls = await call('tls_inspect', { target: '127.0.0.1', port: lab.httpsPort });
      expect(JSON.stringify(tls.data)).toContain('web.lab.internal');
      const http = await call('http_probe', { target: '127.0.0.1', port: lab.httpPort, scheme: 'http', path: '/' });
      expect(http.data).toMatchObject({ status: 200 });
    }, 30_000);

    it("forwards nmap's own progress (percent and ETA) as increasing notifications/progress", async () => {
      const seen: Progress[] = [];
      // Polite timing over ten closed ports lasts a few seconds: nmap reports at least once (--stats-every 2s).
      const r = await session.client.callTool({ name: 'nmap', arguments: { target: '127.0.0.1', ports: '20001-20010', timing: 'T2' } }, undefined, {
        onprogress: (p) => seen.push(p),
      });
      expect(r.isError).toBeFalsy();
      expect(seen.some((p) => /Scan \d+%/.test(p.message ?? '') && p.total === 100)).toBe(true);
      expect(increasing(seen)).toBe(true);
    }, 30_000);

    it('sends progress for traceroute: the runner that took the job, then its hops when they come', async () => {
      // The single runner slot is busy with a ping for a second, so the traceroute waits in the queue and its whole
      // life is seen (on loopback it would otherwise be over in a few ms).
      const busy = call('ping', { target: '127.0.0.1', count: 2, intervalSec: 1 });
      expect(await eventually(async () => (await lab.jobStatus('ping', '127.0.0.1')) === 'running')).toBe(true);
      const seen: Progress[] = [];
      const r = await session.client.callTool({ name: 'traceroute', arguments: { target: '127.0.0.1', maxHops: 3, queries: 1, waitSec: 1 } }, undefined, {
        onprogress: (p) => seen.push(p),
      });
      await busy;
      expect(r.isError).toBeFalsy();
      expect(seen[0]).toMatchObject({ progress: 0, message: expect.stringMatching(/^running on runner /) });
      expect(seen.slice(1).every((p) => /^hop \d+\/3$/.test(p.message ?? '') && p.total === 3)).toBe(true);
      expect(increasing(seen)).toBe(true);
    });

    it('cancelling mid-ping stops the job: no ping process is left and the runner slot frees', async () => {
      const target = `127.0.${10 + Math.floor(Math.random() * 200)}.${2 + Math.floor(Math.random() * 250)}`;
      const abort = new AbortController();
      const pending = session.client.callTool({ name: 'ping', arguments: { target, count: 10, intervalSec: 1 } }, undefined, {
        signal: abort.signal,
        onprogress: (p) => {
          if (/^reply /.test(p.message ?? '')) abort.abort();
        },
      });
      await expect(pending).rejects.toThrow();
      expect(await eventually(async () => (await processesMentioning(target)).length === 0)).toBe(true);
      expect(await eventually(async () => (await lab.jobStatus('ping', target)) === 'cancelled')).toBe(true);
      // Capacity 1 and a 5 s queue wait: this fails with NO_RUNNER if the cancelled ping still held the slot.
      expect((await call('ping', { target: '127.0.0.1', count: 1 })).data).toMatchObject({ received: 1 });
    }, 30_000);

    it('answers an unknown tool and arguments that fail the schema with -32602, creating no job', async () => {
      const before = await lab.jobCount();
      for (const params of [
        { name: 'no_such_tool', arguments: {} },
        { name: 'ping', arguments: { target: '127.0.0.1', count: 99 } },
        { name: 'ping', arguments: { count: 1 } },
      ]) {
        const err = await session.client.callTool(params).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(McpError);
        expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
      }
      expect(await lab.jobCount()).toBe(before);
    });

    it('logs the job lifecycle as notifications/message once the client sets a level', async () => {
      const logs: Array<{ level: string; message: string }> = [];
      session.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        logs.push({ level: n.params.level, message: String((n.params.data as { message?: unknown }).message) });
      });
      await session.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(logs).toEqual([]);
      await session.client.setLoggingLevel('info');
      await session.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
      expect(await eventually(async () => logs.some((l) => /succeeded in \d+ ms$/.test(l.message)))).toBe(true);
      // "is running" comes first unless the job had already ended when its event stream opened; nothing below info.
      expect(logs.every((l) => l.level === 'info' && /^ping job \S+ (is running on runner |succeeded in )/.test(l.message))).toBe(true);
      await session.client.setLoggingLevel('emergency');
    });

    it('a client that times out and retries with the same idempotency key reattaches to the running job', async () => {
      const meta = { [IDEMPOTENCY_META_KEY]: `retry-${transport.replace(/\W/g, '')}-${Date.now()}` };
      // A scan of a few seconds (polite timing over closed ports) against a client that waits 300 ms.
      const args = { target: '127.0.0.1', ports: '20001-20005', timing: 'T2' };
      const before = await lab.jobCount();
      const impatient = await session.client.callTool({ name: 'nmap', arguments: args, _meta: meta }, undefined, { timeout: 300 }).catch((e: unknown) => e);
      expect((impatient as McpError).code).toBe(ErrorCode.RequestTimeout);
      expect(['queued', 'running']).toContain(await lab.jobStatus('nmap', '127.0.0.1')); // detached, not cancelled
      const retried = await session.client.callTool({ name: 'nmap', arguments: args, _meta: meta });
      expect(text(retried)).toMatch(/^nmap 127\.0\.0\.1 \(127\.0\.0\.1\): 1 of 1 hosts up/);
      const again = await session.client.callTool({ name: 'nmap', arguments: args, _meta: meta });
      expect(again.structuredContent).toEqual(retried.structuredContent);
      expect(await lab.jobCount()).toBe(before + 1);
    }, 30_000);
  });
}
