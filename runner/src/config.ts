import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError, envBool, envInt, parseEnv } from '../../functions/shared/config/env-schema';
import { SharedEnvShape } from '../../functions/shared/config/shared-env';
import { checkApiUrl } from '../../functions/shared/node/api-transport';
import { policyFromSettings } from '../../functions/shared/policy/from-settings';
import type { TargetPolicy } from '../../functions/shared/policy/target-policy';
import type { ToolSettings } from '../../functions/shared/tool/executor';
import { type HardeningSettings, SandboxHardeningEnvShape, hardeningSettings } from './sandbox/hardening-config';
import { CONCURRENCY_MAX, type ConcurrencySettings, defaultCapacity, machineCores } from './concurrency';

/** An integer setting whose default is computed later (from the cores): absent stays undefined. */
const optionalInt = (min: number, max: number) => z.string().pipe(z.coerce.number<string>().int().min(min).max(max)).optional();

/** NETDIAG_RUNNER_CHANNEL's values (runner/src/channel/channel-fetch.ts; docs/design.md, "Runner channel"). */
export const RUNNER_CHANNEL_MODES = ['auto', 'websocket', 'off'] as const;
export type RunnerChannelMode = (typeof RUNNER_CHANNEL_MODES)[number];

const RunnerEnvSchema = z.object({
  ...SharedEnvShape,
  NETDIAG_API_URL: z.url({ protocol: /^https?$/ }),
  NETDIAG_RUNNER_TOKEN: z.string().min(16, 'token too short'),
  /** A private lab CA for the API's certificate (PEM), trusted beside Node's public roots. */
  NETDIAG_CA_FILE: z.string().optional(),
  /** Runner mTLS: this runner's client certificate (CN = runner id) and key, PEM. */
  NETDIAG_CLIENT_CERT_FILE: z.string().optional(),
  NETDIAG_CLIENT_KEY_FILE: z.string().optional(),
  /** Plain HTTP to a non-loopback API: refused unless true, and then warned about at every start. */
  NETDIAG_ALLOW_INSECURE: envBool(false),
  /** How the runner protocol travels: one WebSocket with REST as the fallback (auto), the channel only, or REST only. */
  NETDIAG_RUNNER_CHANNEL: z.enum(RUNNER_CHANNEL_MODES).default('auto'),
  NETDIAG_RUNNER_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  /** Jobs at once on this runner, all tools together; default from the cores (concurrency.ts). */
  NETDIAG_RUNNER_CAPACITY: optionalInt(1, CONCURRENCY_MAX),
  /** Colon-separated directories searched for tool binaries at start-up (tests point this at fake binaries). */
  NETDIAG_BINARY_DIRS: z.string().default('/usr/bin:/usr/sbin:/bin:/sbin:/usr/local/bin:/usr/local/sbin'),
  MCP_MAX_STDOUT_BYTES: envInt(1_048_576, 1024, 64 * 1_048_576),
  MCP_MAX_STDERR_BYTES: envInt(262_144, 1024, 16 * 1_048_576),
  /** The lab resolver dig uses, host:port (IPv4) or [v6]:port; dig is not offered without it. */
  NETDIAG_DNS_RESOLVER: z
    .string()
    .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])(:\d{1,5})?$/, 'expected ADDRESS[:PORT], e.g. 10.0.0.53 or 127.0.0.1:5353')
    .optional(),
  NETDIAG_HTTP_MAX_REDIRECTS: envInt(0, 0, 5),
  /** Per-job rlimits: address space in MiB (nmap -sV needs ~60, dig ~100 on 2 cores) and open files. */
  MCP_MAX_MEMORY_MB: envInt(512, 128, 65_536),
  MCP_MAX_FILE_DESCRIPTORS: envInt(256, 64, 65_536),
  /** Jobs at once per tool, every tool; unset: from each tool's weight and the cores (concurrency.ts). MCP_CONCURRENCY_<TOOL> wins. */
  MCP_DEFAULT_CONCURRENCY: optionalInt(1, CONCURRENCY_MAX),
  MCP_CIRCUIT_BREAKER_THRESHOLD: envInt(5, 1, 100),
  MCP_CIRCUIT_BREAKER_RECOVERY_SEC: envInt(60, 1, 3600),
  /** Optional one-exec sandbox helper built from runner/src/sandbox/native/netdiag-sandbox.c (absolute path). */
  NETDIAG_SANDBOX_HELPER: z.string().regex(/^\//, 'must be an absolute path').optional(),
  /** Per-job PID namespace where the host allows it; false only for debugging. */
  NETDIAG_SANDBOX_PIDNS: envBool(true),
  /** Helper mode: jobs are forked by the resident spawn server, not by the runner (sandbox/spawn-server.ts); false: Node spawn. */
  NETDIAG_SPAWN_SERVER: envBool(true),
  ...SandboxHardeningEnvShape,
});

export interface RunnerConfig {
  apiUrl: string;
  /** How the API is reached (functions/shared/node/api-transport.ts); `insecureWarning` is logged at every start. */
  transport: {
    caFile: string | undefined;
    clientCertFile: string | undefined;
    clientKeyFile: string | undefined;
    insecureWarning: string | undefined;
    /** NETDIAG_RUNNER_CHANNEL: the runner channel with REST as the fallback, the channel only, or REST only. */
    channel: RunnerChannelMode;
  };
  token: string;
  runnerId: string;
  capacity: number;
  binaryDirs: string[];
  policy: TargetPolicy;
  maxStdoutBytes: number;
  maxStderrBytes: number;
  longPollMs: number;
  logLevel: string;
  tools: ToolSettings;
  sandbox: {
    helperPath: string | undefined;
    pidNamespace: boolean;
    spawnServer: boolean;
    maxMemoryMb: number;
    maxFileDescriptors: number;
    hardening: HardeningSettings;
  };
  /** The cores the defaults were computed from (os.availableParallelism()). */
  cores: number;
  guards: ConcurrencySettings & { breakerThreshold: number; breakerRecoveryMs: number };
}

/**
 * MCP_CONCURRENCY_<TOOL>=n (TLS_INSPECT → tls_inspect). Which tools exist is known only once TOOLS_PACKAGE is loaded,
 * so the names are checked then (checkConcurrencyTools); a typo is still a configuration error.
 */
function perToolConcurrency(env: Readonly<Record<string, string | undefined>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(env)) {
    const tool = /^MCP_CONCURRENCY_([A-Z0-9_]+)$/.exec(key)?.[1]?.toLowerCase();
    if (tool === undefined || value === undefined || value === '') continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > CONCURRENCY_MAX)
      throw new ConfigError(`${key}: expected an integer from 1 to ${CONCURRENCY_MAX} (got "${value}")`);
    out[tool] = n;
  }
  return out;
}

/** Every MCP_CONCURRENCY_<TOOL> must name a tool this runner has, built-in or from TOOLS_PACKAGE. */
export function checkConcurrencyTools(concurrency: Readonly<Record<string, number>>, tools: Iterable<string>): void {
  const known = new Set(tools);
  const unknown = Object.keys(concurrency).find((t) => !known.has(t));
  if (unknown !== undefined) throw new ConfigError(`MCP_CONCURRENCY_${unknown.toUpperCase()}: there is no tool "${unknown}"`);
}

/** The lab resolver: an IP literal (dig would resolve a name through the system) inside the allowed targets. */
function parseResolver(spec: string | undefined, policy: TargetPolicy): ToolSettings['dnsResolver'] {
  if (!spec) return undefined;
  const m = /^(?:\[([0-9a-f:]+)\]|([\d.]+))(?::(\d+))?$/.exec(spec);
  const address = m?.[1] ?? m?.[2] ?? '';
  const port = Number(m?.[3] ?? 53);
  if (!m || isIP(address) === 0 || port < 1 || port > 65535) throw new ConfigError(`NETDIAG_DNS_RESOLVER: "${spec}" is not IP[:PORT] (IPv6 as [addr]:port)`);
  const checked = policy.check(address, { allowCidr: false });
  if (!checked.ok) throw new ConfigError(`NETDIAG_DNS_RESOLVER: ${checked.refusal.message}`);
  return { address, port };
}

/** Raw sockets (ICMP traceroute, TCP SYN, mtr-packet) need root or CAP_NET_RAW (bit 13 of CapEff). */
function hasRawSockets(): boolean {
  if (process.getuid?.() === 0) return true;
  try {
    const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return capEff !== undefined && (BigInt(`0x${capEff}`) & (1n << 13n)) !== 0n;
  } catch {
    return false;
  }
}

/** The runner's own configuration: its target policy comes from its own env, never from the API. */
export function loadRunnerConfig(env: Readonly<Record<string, string | undefined>>, cores: number = machineCores()): RunnerConfig {
  const e = parseEnv(RunnerEnvSchema, env);
  const dirs = e.NETDIAG_BINARY_DIRS.split(':').filter((d) => d.length > 0);
  if (dirs.some((d) => !d.startsWith('/'))) throw new ConfigError('NETDIAG_BINARY_DIRS: every directory must be absolute');
  // Decided on the URL alone: nothing is sent to a plain-HTTP, non-loopback API.
  const verdict = checkApiUrl(e.NETDIAG_API_URL, e.NETDIAG_ALLOW_INSECURE);
  if (!verdict.ok) throw new ConfigError(`NETDIAG_API_URL: ${verdict.message}; use https:// or set NETDIAG_ALLOW_INSECURE=true`);
  const policy = policyFromSettings({ allowedTargets: e.MCP_ALLOWED_TARGETS, allowLoopback: e.MCP_ALLOW_LOOPBACK, maxCidrHosts: e.MCP_MAX_CIDR_HOSTS });
  return {
    apiUrl: e.NETDIAG_API_URL,
    transport: {
      caFile: e.NETDIAG_CA_FILE,
      clientCertFile: e.NETDIAG_CLIENT_CERT_FILE,
      clientKeyFile: e.NETDIAG_CLIENT_KEY_FILE,
      insecureWarning: verdict.warning,
      channel: e.NETDIAG_RUNNER_CHANNEL,
    },
    token: e.NETDIAG_RUNNER_TOKEN,
    runnerId:
      e.NETDIAG_RUNNER_ID ??
      `${hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 48)}-${process.pid}`,
    capacity: e.NETDIAG_RUNNER_CAPACITY ?? defaultCapacity(cores),
    cores,
    binaryDirs: dirs,
    policy,
    maxStdoutBytes: e.MCP_MAX_STDOUT_BYTES,
    maxStderrBytes: e.MCP_MAX_STDERR_BYTES,
    longPollMs: e.MCP_RUNNER_LONG_POLL_SEC * 1000,
    logLevel: e.LOG_LEVEL,
    tools: {
      dnsResolver: parseResolver(e.NETDIAG_DNS_RESOLVER, policy),
      allowIntrusive: e.MCP_ALLOW_INTRUSIVE,
      privileged: hasRawSockets(),
      httpMaxRedirects: e.NETDIAG_HTTP_MAX_REDIRECTS,
    },
    sandbox: {
      helperPath: e.NETDIAG_SANDBOX_HELPER,
      pidNamespace: e.NETDIAG_SANDBOX_PIDNS,
      spawnServer: e.NETDIAG_SPAWN_SERVER,
      maxMemoryMb: e.MCP_MAX_MEMORY_MB,
      maxFileDescriptors: e.MCP_MAX_FILE_DESCRIPTORS,
      // Jobs never see the runner's own files (docs/security.md, "Sandbox"); its token lives only in its environment.
      hardening: hardeningSettings(e, [env['MCP_CONFIG_FILE'], e.NETDIAG_CA_FILE, e.NETDIAG_CLIENT_CERT_FILE, e.NETDIAG_CLIENT_KEY_FILE]),
    },
    guards: {
      defaultConcurrency: e.MCP_DEFAULT_CONCURRENCY,
      concurrency: perToolConcurrency(env),
      breakerThreshold: e.MCP_CIRCUIT_BREAKER_THRESHOLD,
      breakerRecoveryMs: e.MCP_CIRCUIT_BREAKER_RECOVERY_SEC * 1000,
    },
  };
}
