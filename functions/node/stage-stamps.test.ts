// The bench's "written" stamps (NETDIAG_STAGE_TIMES only): node-server serving a Hono app on loopback, wrapped as
// functions/node.ts wraps it when stage times are on.
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markStage, markStageOnWrite, setStageSink, stageOnWriteOf } from '../shared/telemetry/stage-times';
import { stampRequestStages } from './stage-stamps';

const marks: Array<[string, string, number]> = [];
let server: ServerType;
let url: string;

beforeAll(async () => {
  setStageSink((jobId, stage, at) => marks.push([jobId, stage, at]));
  const app = new Hono();
  app.get('/job/:id', async (c) => {
    markStage(c.req.param('id'), 'answered');
    markStageOnWrite(c.req.raw, c.req.param('id'), 'written');
    await new Promise((r) => setTimeout(r, 20)); // the answer leaves well after the handler asked for the stamp
    return c.json({ ok: true });
  });
  app.get('/plain', (c) => c.json({ ok: true }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: stampRequestStages(app.fetch), hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  setStageSink(undefined);
  await new Promise((resolve) => server.close(resolve));
});

describe('stampRequestStages', () => {
  it('stamps the stage a route asked for as node-server writes that answer, after the handler', async () => {
    const res = await fetch(`${url}/job/j1`);
    expect(await res.json()).toEqual({ ok: true });
    const answered = marks.find(([id, stage]) => id === 'j1' && stage === 'answered')?.[2] ?? Infinity;
    const written = marks.filter(([id, stage]) => id === 'j1' && stage === 'written');
    expect(written).toHaveLength(1);
    expect(written[0]?.[2]).toBeGreaterThanOrEqual(answered + 15);
  });

  it('stamps nothing for answers no route asked for, and keeps nothing when stage times are off', async () => {
    const before = marks.length;
    expect((await fetch(`${url}/plain`)).status).toBe(200);
    expect(marks.length).toBe(before);
    setStageSink(undefined);
    const request = new Request('http://x/');
    markStageOnWrite(request, 'j2', 'written');
    setStageSink((jobId, stage, at) => marks.push([jobId, stage, at]));
    expect(stageOnWriteOf(request)).toBeUndefined();
  });
});
