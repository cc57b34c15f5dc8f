import { describe, expect, it } from 'vitest';
import { loadRunnerConfig } from '../../../runner/src/config';
import { createDeps } from '../create-deps';
import { clampConfig } from '../../shared/config/clamp';
import { buildConfigReport } from './config-report';
import { ConfigError } from '../../shared/config/env-schema';
import { resolveConfig } from '../../shared/node/resolve-config';
import { parseApiSettings } from './settings';

const yaml = (text: string) => ({ path: '/etc/netdiag/config.yaml', text });
const entry = (values: Record<string, string | undefined>, sources: Record<string, 'env' | 'file'>, key: string) =>
  buildConfigReport(values, { sources }).settings.find((s) => s.key === key);

describe('env > file > defaults', () => {
  it('takes each key from the highest layer that sets it', () => {
    const r = resolveConfig({
      env: { MCP_SERVER_PORT: '7000', MCP_QUEUE_WAIT_SEC: '', PATH: '/usr/bin' },
      file: yaml('server: { port: 9000, host: 127.0.0.5 }\nMCP_QUEUE_WAIT_SEC: 3\n'),
    });
    const s = parseApiSettings(r.values);
    expect(s.port).toBe(7000); // env beats file
    expect(s.host).toBe('127.0.0.5'); // file beats default
    expect(s.queueWaitMs).toBe(3000); // an empty env value does not hide the file
    expect(s.leaseMs).toBe(15_000); // default
    expect(r.sources).toMatchObject({ MCP_SERVER_PORT: 'env', MCP_SERVER_HOST: 'file', MCP_QUEUE_WAIT_SEC: 'file' });
    expect(entry(r.values, r.sources, 'MCP_SERVER_PORT')).toMatchObject({ value: 7000, source: 'env' });
    expect(entry(r.values, r.sources, 'MCP_SERVER_HOST')).toMatchObject({ value: '127.0.0.5', source: 'file' });
    expect(entry(r.values, r.sources, 'MCP_RUNNER_LEASE_SEC')).toMatchObject({ value: 15, source: 'default' });
    expect(r.file).toBe('/etc/netdiag/config.yaml');
  });

  it('works without a file', () => {
    const r = resolveConfig({ env: { LOG_LEVEL: 'debug' } });
    expect(r).toMatchObject({ values: { LOG_LEVEL: 'debug' }, sources: { LOG_LEVEL: 'env' }, warnings: [], file: undefined });
  });

  it('gives the runner the same file: its keys come from the file unless env sets them', () => {
    const r = resolveConfig({
      env: { NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'runner-token-0123456789', MCP_MAX_STDERR_BYTES: '4096' },
      file: yaml(
        'MCP_MAX_STDOUT_BYTES: 65536\nMCP_MAX_STDERR_BYTES: 8192\nNETDIAG_RUNNER_CAPACITY: 2\nsecurity: { allow_intrusive: yes }\nlogging: { level: warning }\n',
      ),
    });
    const c = loadRunnerConfig(r.values);
    expect(c).toMatchObject({ maxStdoutBytes: 65536, maxStderrBytes: 4096, capacity: 2, logLevel: 'warning', tools: { allowIntrusive: true } });
  });
});

describe('clamping', () => {
  it("clamps the design's ranges and reports each once", () => {
    const r = resolveConfig({ env: { MCP_DEFAULT_CONCURRENCY: '99' }, file: yaml('tool: { default_timeout: 5 }\nMCP_MAX_CIDR_HOSTS: 4096\n') });
    expect(r.values).toMatchObject({ MCP_DEFAULT_TIMEOUT_SEC: '60', MCP_DEFAULT_CONCURRENCY: '64', MCP_MAX_CIDR_HOSTS: '1024' });
    expect(r.warnings.map((w) => [w.key, w.given, w.used])).toEqual([
      ['MCP_DEFAULT_TIMEOUT_SEC', '5', '60'],
      ['MCP_DEFAULT_CONCURRENCY', '99', '64'],
      ['MCP_MAX_CIDR_HOSTS', '4096', '1024'],
    ]);
    expect(r.warnings[0]?.message).toBe('MCP_DEFAULT_TIMEOUT_SEC: 5 is outside 60–3600; using 60');
    expect(parseApiSettings(r.values).defaultTimeoutSec).toBe(60);
    expect(clampConfig(r.values).warnings).toEqual([]); // clamping again changes nothing
  });

  it('leaves keys without a design range alone: small test values still work', () => {
    const r = resolveConfig({ env: { MCP_QUEUE_WAIT_SEC: '1', MCP_RUNNER_LEASE_SEC: '1' } });
    expect(r.warnings).toEqual([]);
    expect(parseApiSettings(r.values)).toMatchObject({ queueWaitMs: 1000, leaseMs: 1000 });
  });

  it('shows clamped values and their warnings on the config report of an app built from raw env', () => {
    const deps = createDeps({ env: { MCP_RATE_LIMIT_PER_MINUTE: '50000', MCP_MAX_ARGS_LEN: '10' }, tokens: [], version: 't' });
    expect(deps.settings).toMatchObject({ rateLimitPerMinute: 10_000, maxArgsLen: 1024 });
    expect(deps.config?.warnings.map((w) => w.key)).toEqual(['MCP_RATE_LIMIT_PER_MINUTE', 'MCP_MAX_ARGS_LEN']);
    deps.jobs.close();
  });
});

describe('malformed values refuse to start, naming the key', () => {
  it.each([
    [{ MCP_DEFAULT_TIMEOUT_SEC: 'soon' }, 'MCP_DEFAULT_TIMEOUT_SEC'],
    [{ MCP_DEFAULT_TIMEOUT_SEC: '90.5' }, 'MCP_DEFAULT_TIMEOUT_SEC'],
    [{ MCP_SERVER_PORT: '80a' }, 'MCP_SERVER_PORT'],
    [{ MCP_SERVER_PORT: '70000' }, 'MCP_SERVER_PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MCP_ALLOW_INTRUSIVE: 'maybe' }, 'MCP_ALLOW_INTRUSIVE'],
    [{ MCP_ALLOWED_TARGETS: '10.0.0.0/33' }, 'MCP_ALLOWED_TARGETS'],
    [{ MCP_ALLOWED_TARGETS: '10.0.0.1/8' }, 'MCP_ALLOWED_TARGETS'],
  ])('%j', (env, key) => {
    const build = () => createDeps({ env: resolveConfig({ env }).values, tokens: [], version: 't' });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(new RegExp(`^${key}: `));
  });

  it('names the key when the bad value comes from the file', () => {
    const r = resolveConfig({ env: {}, file: yaml('server: { port: eighty }\n') });
    expect(() => parseApiSettings(r.values)).toThrow(/^MCP_SERVER_PORT: .*eighty/);
    const r2 = resolveConfig({ env: {}, file: yaml('logging: { level: chatty }\n') });
    expect(() => loadRunnerConfig({ ...r2.values, NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'runner-token-0123456789' })).toThrow(
      /^LOG_LEVEL: /,
    );
  });
});
