import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEnv, devTokens, startChild } from '../../scripts/dev-env.mjs';
import { ROOT, closedPort } from '../helpers/processes';
import { jsonLines, until } from './node-entry-support';

// The real dist/api.mjs started as `npm start` starts it (scripts/dev-env.mjs): stderr appended to a regular file, which
// the logger then writes synchronously (functions/shared/node/logger.ts; issue 12). Loopback only; no runner needed.
let stateDir: string;
let api: ChildProcess;
let url: string;
let clientToken: string;
const logLines = (): Array<Record<string, unknown>> => jsonLines(readFileSync(join(stateDir, 'api.log'), 'utf8'));

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'netdiag-log-file-'));
  clientToken = devTokens(stateDir).client;
  const port = await closedPort();
  url = `http://127.0.0.1:${port}`;
  api = startChild({ dist: `${ROOT}dist`, stateDir, name: 'api', script: 'api.mjs', env: apiEnv({ stateDir, port }) });
  await until('the API', () => (logLines().some((l) => l['msg'] === 'listening') ? true : undefined));
});
afterAll(async () => {
  if (api.exitCode === null && api.signalCode === null) {
    await new Promise<void>((resolve) => {
      api.once('exit', () => resolve());
      api.kill('SIGTERM');
    });
  }
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the API logging to a file (npm start)', () => {
  it('writes each request line whole to the file, with its request id', async () => {
    const res = await fetch(`${url}/tools`, { headers: { authorization: `Bearer ${clientToken}` } });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    const line = await until('the request line', () => logLines().find((l) => l['msg'] === 'request' && l['requestId'] === requestId));
    expect(line).toMatchObject({ name: 'netdiag-api', method: 'GET', path: '/tools', status: 200, principal: 'dev-client' });
    // Every line of the file parses: the synchronous writes never interleave with the entry's own stderr writes.
    const text = readFileSync(join(stateDir, 'api.log'), 'utf8');
    expect(jsonLines(text).length).toBe(text.trim().split('\n').length);
  });
});
