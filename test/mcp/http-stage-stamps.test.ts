// The bench's per-stage breakdown of a /mcp tools/call (NETDIAG_STAGE_TIMES only; bench/stage-breakdown.ts): the API
// in process served on 127.0.0.1 with the Node entry's stamps (functions/node/stage-stamps.ts), the SDK's own Client
// over Streamable HTTP, the job played on the job store as a runner would (nothing is sent to any target).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stampRequestStages } from '../../functions/node/stage-stamps';
import { setStageSink } from '../../functions/shared/telemetry/stage-times';
import { LOOPBACK_PING_RESULT as RESULT } from '../helpers/ping-result';
import { type ServedApp, serveOnLoopback } from '../helpers/serve-app';
import { type HttpSession, connectHttp } from './helpers/http-client';
import { MCP_TOKENS, type McpApp, makeMcpApp } from './helpers/in-process';

const marks: Array<{ key: string; stage: string; at: number }> = [];
let mcp: McpApp;
let served: ServedApp;
let session: HttpSession;

beforeEach(async () => {
  marks.length = 0;
  setStageSink((key, stage, at) => marks.push({ key, stage, at }));
  mcp = makeMcpApp({ MCP_ALLOW_LOOPBACK: 'true' }, { queueWaitMs: 5000 });
  served = await serveOnLoopback(stampRequestStages(mcp.app.fetch));
  session = await connectHttp(served.url, MCP_TOKENS.client);
});

afterEach(async () => {
  setStageSink(undefined);
  await session.close();
  await mcp.close();
  await served.close();
});

/** One ping the SDK Client calls, its job completed on the store as a runner would. */
async function callPing(): Promise<void> {
  const play = async (): Promise<void> => {
    const lease = await mcp.deps.jobs.claim({ runnerId: 'stage-runner', tools: ['ping'], waitMs: 5000 });
    if (!lease) throw new Error('no ping job was queued');
    await mcp.deps.jobs.complete(lease.job.id, lease.leaseId, { status: 'succeeded', result: RESULT, durationMs: 1 });
  };
  const [result] = await Promise.all([session.client.callTool({ name: 'ping', arguments: { target: '127.0.0.1', count: 1 } }), play()]);
  expect(result.structuredContent).toEqual(RESULT);
}

const stagesOf = (key: string): Record<string, number> => Object.fromEntries(marks.filter((m) => m.key === key).map((m) => [m.stage, m.at]));

describe('/mcp stage stamps (bench breakdown)', () => {
  it("stamps the POST's arrival, routing, settled result and write around its job's own stamps, in order", async () => {
    await callPing();
    await new Promise((resolve) => setImmediate(resolve)); // the write's stamp is made as node-server ends the answer
    const posts = [...new Set(marks.filter((m) => m.key.startsWith('mcp-post-')).map((m) => m.key))];
    expect(posts).toHaveLength(1);
    const post = stagesOf(posts[0] ?? '');
    const jobKey = marks.find((m) => m.stage === 'api.handler')?.key ?? '';
    const job = stagesOf(jobKey);
    // api.arrived is the moment the port hands the call to the route's functions (mcp-http/direct-execute.ts).
    const order = [
      post['mcp.arrived'],
      post['mcp.routed'],
      job['api.arrived'],
      job['api.handler'],
      job['api.answered'],
      post['mcp.settled'],
      post['mcp.written'],
    ];
    expect(order.every((at) => typeof at === 'number' && at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a = 0, b = 0) => a - b));
  });

  it('keeps nothing when stage times are off', async () => {
    setStageSink(undefined);
    marks.length = 0;
    await callPing();
    expect(marks).toEqual([]);
  });
});
