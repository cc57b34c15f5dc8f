/**
 * Issue 13 figures over /mcp with the SDK client and a real runner on loopback: reading a finished job as a resource
 * against running the tool again, a scan started as a task (time to the task, and to its result) against the same
 * scan as a held call, and the cost of completion and prompts. Prints medians and p95; asserts nothing.
 */
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { closedPort, startApi, startRunner } from '../test/helpers/processes';
import { makeTokens } from '../test/helpers/tokens';
import { connectHttp } from '../test/mcp/helpers/http-client';
import { alternate, printTable, summarize } from './stats';

export async function benchMcpFeatures(rounds = Number(process.env['BENCH_ROUNDS'] ?? 100)): Promise<void> {
  const tokens = makeTokens();
  const api = await startApi(tokens, { MCP_ALLOW_LOOPBACK: 'true', MCP_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' });
  const runner = await startRunner(api, tokens, { MCP_ALLOW_LOOPBACK: 'true', LOG_LEVEL: 'warn' }, { waitFor: 'nmap' });
  const session = await connectHttp(api.url, tokens.client);
  const { client } = session;
  try {
    await client.listTools();
    const ping = await client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } });
    const uri = (ping.content as Array<{ type: string; uri?: string }>).find((c) => c.type === 'resource_link')?.uri ?? '';
    const reuse = await alternate(rounds, {
      again: () => client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } }),
      read: () => client.readResource({ uri }),
    });
    printTable('a finished result again: re-run ping -c1 vs read netdiag://jobs/{id}', [
      ['tools/call ping (runs ping again)', summarize(reuse['again'] ?? [])],
      ['resources/read of the job', summarize(reuse['read'] ?? [])],
    ]);

    const port = String(await closedPort());
    const nmap = { target: '127.0.0.1', ports: port };
    let taskId = '';
    const scans = await alternate(Math.max(10, Math.floor(rounds / 5)), {
      held: () => client.callTool({ name: 'nmap', arguments: nmap }),
      start: async () => {
        taskId = (await client.request({ method: 'tools/call', params: { name: 'nmap', arguments: nmap, task: {} } }, CreateTaskResultSchema)).task.taskId;
      },
      result: () => client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema),
    });
    const start = scans['start'] ?? [];
    printTable(`nmap -p ${port} 127.0.0.1 (closed port): held call vs task`, [
      ['tools/call, held until the scan ends', summarize(scans['held'] ?? [])],
      ['tools/call with task: until the task is back', summarize(start)],
      ['then tasks/result: until the result is back', summarize(scans['result'] ?? [])],
      ['task start + tasks/result', summarize(start.map((s, i) => s + (scans['result']?.[i] ?? 0)))],
    ]);

    const small = await alternate(rounds, {
      complete: () => client.complete({ ref: { type: 'ref/prompt', name: 'diagnose-host' }, argument: { name: 'target', value: '127.' } }),
      prompt: () => client.getPrompt({ name: 'check-service', arguments: { target: '127.0.0.1', port: '443' } }),
      policy: () => client.readResource({ uri: 'netdiag://policy' }),
    });
    printTable('what an assistant reads before it calls', [
      ['completion/complete (target from recent jobs)', summarize(small['complete'] ?? [])],
      ['prompts/get check-service', summarize(small['prompt'] ?? [])],
      ['resources/read netdiag://policy', summarize(small['policy'] ?? [])],
    ]);
  } finally {
    await session.close();
    await runner.stop();
    await api.stop();
  }
}
