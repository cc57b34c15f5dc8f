import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { refusingFetch } from '../../functions/shared/node/api-transport';
import { createNetdiagClient } from '../../openapi/sdk/src/index';
import { closedPort } from '../../test/helpers/processes';
import { createSdkPort } from './sdk-port';

// Real HTTP servers on loopback playing the API: what the SDK's errors become for the MCP layer.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function serve(status: number, body: unknown): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new Promise((resolve) => server?.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}`)));
}

const ctx = (signal: AbortSignal = new AbortController().signal) => ({ signal, headers: {} });

describe('the shim port over the SDK', () => {
  it("turns the API's error envelope into an error answer with its status, code and details", async () => {
    const error = { code: 'FORBIDDEN_TARGET', message: 'No.', recoverySuggestion: 'Ask.', details: { target: '0.0.0.0' }, requestId: 'r1' };
    const port = createSdkPort(createNetdiagClient({ baseUrl: await serve(403, { error }), token: 't' }));
    expect(await port.runOnce('ping', { target: '0.0.0.0' }, ctx())).toEqual({ kind: 'error', status: 403, body: error });
  });

  it('says unreachable with the socket error when nothing listens', async () => {
    const port = createSdkPort(createNetdiagClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: 't' }));
    expect(await port.listTools(ctx())).toEqual({ kind: 'unreachable', reason: 'ECONNREFUSED' });
  });

  it('names a transport refusal and the setting that fixes it (nothing is sent)', async () => {
    const fetch = refusingFetch('refusing plain HTTP to 192.0.2.1; nothing was sent');
    const port = createSdkPort(createNetdiagClient({ baseUrl: 'http://192.0.2.1:8080', token: 't', fetch }));
    const answer = await port.getPolicy(ctx());
    expect(answer).toMatchObject({ kind: 'unreachable', transport: { problem: /refusing plain HTTP/, fix: /NETDIAG_ALLOW_INSECURE/ } });
  });

  it("answers aborted when the caller's signal fired", async () => {
    const port = createSdkPort(createNetdiagClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: 't' }));
    expect(await port.getJob('j1', ctx(AbortSignal.abort()))).toEqual({ kind: 'aborted' });
  });

  it("ends a job's events quietly when the API refuses the stream", async () => {
    const error = { code: 'NOT_FOUND', message: 'No job.', recoverySuggestion: 'List your jobs.' };
    const port = createSdkPort(createNetdiagClient({ baseUrl: await serve(404, { error }), token: 't' }));
    const events: unknown[] = [];
    for await (const event of port.jobEvents('j1', ctx())) events.push(event);
    expect(events).toEqual([]);
  });
});
