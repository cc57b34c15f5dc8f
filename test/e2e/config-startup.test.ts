import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type RunningApi, closedPort, startApi } from '../helpers/processes';
import { type TestTokens, makeTokens } from '../helpers/tokens';

// The real dist/api.mjs and dist/runner.mjs: configuration file, clamping, refusal to start, rate limit, body bound.
let tokens: TestTokens;
const apis: RunningApi[] = [];
beforeAll(() => {
  tokens = makeTokens();
});
afterAll(async () => {
  for (const api of apis) await api.stop();
});

const file = (name: string, text: string): string => {
  const path = join(tokens.dir, name);
  writeFileSync(path, text);
  return path;
};

/** Run an entry that is expected to refuse its configuration; resolves with its exit code and stderr. */
function runToExit(script: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`${ROOT}dist/${script}`], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${script} did not exit:\n${stderr}`));
    }, 10_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const admin = (api: RunningApi, path: string): Promise<Response> => fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
const settingOf = async (api: RunningApi, key: string): Promise<unknown> => {
  const report = (await (await admin(api, '/config')).json()) as { settings: Array<{ key: string }> };
  return report.settings.find((s) => s.key === key);
};
const callPing = (api: RunningApi, body: string): Promise<Response> =>
  fetch(`${api.url}/tools/ping/execute?async=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' },
    body,
  });

describe('API with a YAML configuration file', () => {
  let api: RunningApi;
  beforeAll(async () => {
    const yaml = file(
      'config.yaml',
      [
        'server:',
        '  port: 1   # env (MCP_SERVER_PORT=0 from the test) wins',
        'tool:',
        '  default_timeout: 5',
        'rate_limit:',
        '  per_minute: 2',
        'MCP_ALLOW_LOOPBACK: true',
        '',
      ].join('\n'),
    );
    // MCP_RATE_LIMIT_PER_MINUTE='' unsets startApi's "off" so the file's limit applies.
    api = await startApi(tokens, { MCP_CONFIG_FILE: yaml, MCP_RATE_LIMIT_PER_MINUTE: '' });
    apis.push(api);
  });

  it('applies env > file > default, visible in GET /config', async () => {
    expect(await settingOf(api, 'MCP_SERVER_PORT')).toMatchObject({ value: 0, source: 'env' });
    expect(await settingOf(api, 'MCP_RATE_LIMIT_PER_MINUTE')).toMatchObject({ value: 2, source: 'file' });
    expect(await settingOf(api, 'MCP_QUEUE_WAIT_SEC')).toMatchObject({ value: 15, source: 'default' });
    expect(await settingOf(api, 'MCP_TOKENS_FILE')).toMatchObject({ value: '[redacted]', source: 'env' });
  });

  it('clamps the out-of-range timeout and logs the warning once at start-up', async () => {
    expect(await settingOf(api, 'MCP_DEFAULT_TIMEOUT_SEC')).toMatchObject({ value: 60, source: 'file' });
    const warnings = api
      .logs()
      .split('\n')
      .filter((l) => l.includes('MCP_DEFAULT_TIMEOUT_SEC: 5 is outside 60–3600; using 60'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, key: 'MCP_DEFAULT_TIMEOUT_SEC', given: '5', used: '60' });
  });

  it('rate limits tool calls per token and tool with 429 and Retry-After', async () => {
    const ok = '{"target":"127.0.0.1","count":1}';
    expect((await callPing(api, ok)).status).toBe(202);
    expect((await callPing(api, ok)).status).toBe(202);
    const limited = await callPing(api, ok);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: unknown }).error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 2, windowSec: 60 } });
  });

  it('refuses a body over MCP_MAX_ARGS_LEN with the envelope', async () => {
    const res = await fetch(`${api.url}/tools/traceroute/execute?async=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target: '127.0.0.1', pad: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'body', maxBytes: 2048 } });
  });
});

describe('API with a JSON configuration file', () => {
  it('reads flat env names and sections from JSON', async () => {
    const json = file('config.json', JSON.stringify({ MCP_QUEUE_WAIT_SEC: 3, security: { allow_intrusive: true }, TOOL_EXCLUDE: ['mtr'] }));
    const api = await startApi(tokens, { MCP_CONFIG_FILE: json });
    apis.push(api);
    expect(await settingOf(api, 'MCP_QUEUE_WAIT_SEC')).toMatchObject({ value: 3, source: 'file' });
    expect(await settingOf(api, 'MCP_ALLOW_INTRUSIVE')).toMatchObject({ value: true, source: 'file' });
    const tools = (await (await admin(api, '/tools')).json()) as { tools: Array<{ name: string }> };
    expect(tools.tools.map((t) => t.name)).not.toContain('mtr');
  });
});

describe('a malformed value stops the process with exit code 78 and names the key', () => {
  it.each([
    ['a bad number in the file', () => ({ MCP_CONFIG_FILE: file('bad-timeout.json', '{"tool":{"default_timeout":"soon"}}') }), 'MCP_DEFAULT_TIMEOUT_SEC'],
    ['an unknown log level in env', () => ({ LOG_LEVEL: 'loud' }), 'LOG_LEVEL'],
    ['a bad CIDR in the file', () => ({ MCP_CONFIG_FILE: file('bad-cidr.yaml', 'MCP_ALLOWED_TARGETS: 10.0.0.0/33\n') }), 'MCP_ALLOWED_TARGETS'],
    ['an unknown key in a file section', () => ({ MCP_CONFIG_FILE: file('bad-key.yaml', 'server:\n  prot: 8080\n') }), 'server.prot'],
    ['a missing file', () => ({ MCP_CONFIG_FILE: join(tokens.dir, 'nope.yaml') }), 'MCP_CONFIG_FILE'],
  ])('API: %s', async (_what, env, key) => {
    const { code, stderr } = await runToExit('api.mjs', { MCP_SERVER_HOST: '127.0.0.1', MCP_SERVER_PORT: '0', MCP_TOKENS_FILE: tokens.file, ...env() });
    expect(code).toBe(78);
    expect(stderr).toContain(`configuration error: ${key}`);
    expect(stderr).not.toContain('listening');
  });

  it('runner: reads the same file and refuses its malformed keys', async () => {
    const port = await closedPort();
    const { code, stderr } = await runToExit('runner.mjs', {
      NETDIAG_API_URL: `http://127.0.0.1:${port}`,
      NETDIAG_RUNNER_TOKEN: tokens.runner,
      MCP_CONFIG_FILE: file('runner-bad.yaml', 'logging:\n  level: chatty\n'),
    });
    expect(code).toBe(78);
    expect(stderr).toContain('configuration error: LOG_LEVEL');
  });
});
