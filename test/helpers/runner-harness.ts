import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobProgress } from '../../functions/src/jobs/types';
import type { JobOutcome, RunnerJob } from '../../openapi/sdk/src/runner';
import { loadRunnerConfig } from '../../runner/src/config';
import { executeJob } from '../../runner/src/execute-job';
import { probeSandbox } from '../../runner/src/sandbox/capabilities';
import { resolveBinaries } from '../../runner/src/sandbox/binaries';
import type { Resolver } from '../../runner/src/target/pin-target';
import type { Executor } from '../../functions/shared/tool/executor';

/** Tests never use the machine's resolver (it is not on loopback): a lookup without an injected resolver fails loudly. */
const refuseDns: Resolver = (hostname) => Promise.reject(Object.assign(new Error(`test harness: no DNS lookups (${hostname})`), { code: 'ETESTNODNS' }));

/**
 * The same confinement the runner uses (helper from dist/ when built, else util-linux), probed once per test file,
 * with the runner's default hardening (nobody:nogroup, seccomp, read-only filesystem): every tool test runs under it.
 */
const bundledHelper = fileURLToPath(new URL('../../dist/netdiag-sandbox', import.meta.url));
const defaults = loadRunnerConfig({ NETDIAG_API_URL: 'http://127.0.0.1:9', NETDIAG_RUNNER_TOKEN: 'harness-token-0123456789' });
const helperPath = existsSync(bundledHelper) ? bundledHelper : undefined;
const sandboxProbe = probeSandbox({ helperPath, pidNamespace: true, hardening: defaults.sandbox.hardening.wanted, cgroups: true });
/**
 * Fake binaries (NETDIAG_BINARY_DIRS pointing at a test's temporary directory) live in the runner's /tmp and write
 * their argv there: a hardened job sees neither (private /tmp, another uid). Those runs keep rlimits and the PID
 * namespace; the hardened sandbox itself is tested in runner/src/sandbox/hardening.test.ts.
 */
let plainProbe: ReturnType<typeof probeSandbox> | undefined;

export interface HarnessRun {
  outcome: JobOutcome;
  progress: JobProgress[];
}

/**
 * Run one job through the runner's real execution path (re-validation, target pinning, sandbox, parsing)
 * without an API. Loopback is allowed unless `env` says otherwise; env keys are the runner's own.
 */
export async function runThroughRunner(
  executor: Executor<never>,
  params: Record<string, unknown>,
  options: { env?: Record<string, string>; timeoutSec?: number; signal?: AbortSignal; resolve?: Resolver } = {},
): Promise<HarnessRun> {
  const config = loadRunnerConfig({
    NETDIAG_API_URL: 'http://127.0.0.1:9',
    NETDIAG_RUNNER_TOKEN: 'harness-token-0123456789',
    MCP_ALLOW_LOOPBACK: 'true',
    ...options.env,
  });
  const def = executor.definition;
  const binaries = resolveBinaries(def.policy.binary ? [def.policy.binary, ...(def.policy.execs ?? [])] : [], config.binaryDirs);
  const job: RunnerJob = {
    id: 'harness-job',
    tool: def.name,
    params,
    timeoutSec: options.timeoutSec ?? def.policy.defaultTimeoutSec,
    attempt: 1,
    leaseId: 'harness-lease',
    leaseExpiresAt: Date.now() + 60_000,
    heartbeatIntervalMs: 1000,
  };
  const progress: JobProgress[] = [];
  const fakeBinaries = options.env?.['NETDIAG_BINARY_DIRS'] !== undefined;
  const { sandbox } = await (fakeBinaries ? (plainProbe ??= probeSandbox({ helperPath, pidNamespace: true })) : sandboxProbe);
  const outcome = await executeJob(
    { config, binaries, executors: new Map([[def.name, executor]]), resolve: options.resolve ?? refuseDns, sandbox },
    job,
    options.signal ?? new AbortController().signal,
    (p) => progress.push(p),
  );
  return { outcome, progress };
}
