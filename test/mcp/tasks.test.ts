import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  ErrorCode,
  type McpError,
  type Task,
  TaskStatusNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectShim } from '../helpers/shim-client';
import { connectHttp } from './helpers/http-client';
import { type Lab, eventually, processesMentioning, startLab } from './helpers/lab';
import type { McpSession } from './helpers/tool-suite';

// MCP tasks through the real SDK Client over stdio (bundled shim) and Streamable HTTP (/mcp), on a loopback lab:
// a task is a job, so it outlives the session (and the shim process) that started it. `npm run build` first.
let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
}, 30_000);
afterAll(async () => {
  await lab?.stop();
});

const shim = (token: string): Promise<McpSession> => connectShim({ NETDIAG_API_URL: lab.api.url, NETDIAG_TOKEN: token });
const http = (token: string): Promise<McpSession> => connectHttp(lab.api.url, token);

const startTask = async (s: McpSession, args: Record<string, unknown>): Promise<Task> =>
  (await s.client.request({ method: 'tools/call', params: { name: 'nmap', arguments: args, task: {} } }, CreateTaskResultSchema)).task;

describe.each([
  ['stdio shim', shim, 'T2', '20001-20010', '20101-20110'],
  ['/mcp', http, 'T2', '20011-20020', '20111-20120'],
])('MCP tasks over %s', (_name, connect, timing, quickPorts, slowPorts) => {
  it('lists nmap, traceroute and mtr with taskSupport "optional" and the quick tools without', async () => {
    const s = await connect(lab.tokens.client);
    try {
      const { tools } = await s.client.listTools();
      const support = Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport]));
      expect(support).toMatchObject({ nmap: 'optional', traceroute: 'optional', mtr: 'optional', ping: undefined, dig: undefined });
    } finally {
      await s.close();
    }
  });

  it('runs nmap as a task that a second session polls to completion and fetches; tasks/list shows only the caller’s', async () => {
    const first = await connect(lab.tokens.client);
    const task = await startTask(first, { target: '127.0.0.1', ports: quickPorts, timing });
    expect(task).toMatchObject({ status: 'working', ttl: null });
    await first.close(); // the session (and for stdio the shim process) goes away; the job does not

    const second = await connect(lab.tokens.client);
    try {
      let seen: Task | undefined;
      expect(await eventually(async () => (seen = await second.client.experimental.tasks.getTask(task.taskId)).status === 'completed', 30_000)).toBe(true);
      expect(seen?.taskId).toBe(task.taskId);
      const result = await second.client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ hosts: [expect.objectContaining({ ports: expect.any(Array) })] });
      expect(result._meta?.['io.modelcontextprotocol/related-task']).toEqual({ taskId: task.taskId });
      const { tasks } = await second.client.experimental.tasks.listTasks();
      expect(tasks.map((t) => t.taskId)).toContain(task.taskId);
    } finally {
      await second.close();
    }
    const other = await connect(lab.tokens.reader);
    try {
      expect((await other.client.experimental.tasks.listTasks()).tasks).toEqual([]);
      const err = await other.client.experimental.tasks.getTask(task.taskId).catch((e: unknown) => e);
      expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('tasks/cancel stops the running scan: the task is cancelled and the nmap process is gone', async () => {
    const s = await connect(lab.tokens.client);
    try {
      const statuses: string[] = [];
      s.client.setNotificationHandler(TaskStatusNotificationSchema, (n) => void statuses.push(n.params.status));
      // Sneaky timing waits 15 s between probes: the scan is still running when it is cancelled.
      const task = await startTask(s, { target: '127.0.0.1', ports: slowPorts, timing: 'T1' });
      expect(await eventually(async () => (await processesMentioning(slowPorts)).length > 0, 15_000)).toBe(true);
      const cancelled = await s.client.experimental.tasks.cancelTask(task.taskId);
      expect(['working', 'cancelled']).toContain(cancelled.status);
      expect(await eventually(async () => (await s.client.experimental.tasks.getTask(task.taskId)).status === 'cancelled', 15_000)).toBe(true);
      expect(await eventually(async () => (await processesMentioning(slowPorts)).length === 0, 15_000)).toBe(true);
      expect(await eventually(async () => statuses.includes('cancelled'))).toBe(true);
      const again = await s.client.experimental.tasks.cancelTask(task.taskId).catch((e: unknown) => e);
      expect((again as McpError).code).toBe(ErrorCode.InvalidParams);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('a tool that is not long-running refuses a task request with -32601', async () => {
    const s = await connect(lab.tokens.client);
    try {
      const err = await s.client
        .request({ method: 'tools/call', params: { name: 'ping', arguments: { target: '127.0.0.1', count: 1 }, task: {} } }, CreateTaskResultSchema)
        .catch((e: unknown) => e);
      expect((err as McpError).code).toBe(ErrorCode.MethodNotFound);
    } finally {
      await s.close();
    }
  });
});
