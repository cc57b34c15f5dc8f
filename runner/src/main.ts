/** Runner entry: load config, resolve binaries once, run the poll loop; SIGTERM drains, a second one stops now. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import { createRunnerClient } from '../../openapi/sdk/src/runner';
import { ConfigError } from '../../functions/shared/config/env-schema';
import { apiFetch, apiTlsOptions } from '../../functions/shared/node/api-transport';
import { plainHttpFetch } from '../../functions/shared/node/http-fetch';
import { loadResolvedConfig } from '../../functions/shared/node/load-config';
import { startNodeTelemetry } from '../../functions/shared/node/otel';
import { installStageTimes } from '../../functions/shared/node/stage-times-writer';
import { collectWhenIdle } from '../../functions/shared/node/idle-gc';
import { RunnerApi } from './api';
import { checkConcurrencyTools, loadRunnerConfig } from './config';
import { toolConcurrency } from './concurrency';
import { withToolsPackage } from './custom-executors';
import { runJob } from './job-runner';
import { type Logger, createLogger } from '../../functions/shared/node/logger';
import { type ChannelFetch, channelFetch } from './channel/channel-fetch';
import { offeredTools } from './offered-tools';
import { pollLoop } from './poll-loop';
import { controlLoop } from './control-loop';
import { RunningJobs } from './running-jobs';
import { createToolGuards } from './resilience/tool-guards';
import { resolveBinaries } from './sandbox/binaries';
import { probeSandbox } from './sandbox/capabilities';
import { missingProtections } from './sandbox/hardening-config';
import { SANDBOX_PROTECTIONS, activeProtections, describeSandbox } from './sandbox/wrapper';
import { setSpawnServerEnabled, startSpawnServer } from './sandbox/spawn-server';
import { breakerReport } from './telemetry/breaker-report';
import { setRunnerTracing, traceJob } from './telemetry/job-span';
import { jobTraceFetch } from './telemetry/job-fetch';
import { executors as builtinExecutors } from '../../functions/tools/executors';

/**
 * The API's certificate checked (NETDIAG_CA_FILE beside the public roots), this runner's own presented (mTLS). Plain
 * HTTP (loopback, npm start) goes over node:http, cheaper per claim and complete than fetch (shared/node/http-fetch.ts).
 * In front of it the runner channel (NETDIAG_RUNNER_CHANNEL, channel/channel-fetch.ts): the runner protocol over one
 * WebSocket with the same trust, REST as the fallback.
 */
function runnerTransport(config: ReturnType<typeof loadRunnerConfig>, logger: Logger): ChannelFetch {
  try {
    const rest = apiFetch(config.transport, plainHttpFetch(globalThis.fetch));
    const tls = apiTlsOptions(config.transport);
    return channelFetch({ apiUrl: config.apiUrl, token: config.token, mode: config.transport.channel, tls, rest, logger });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

async function main(): Promise<void> {
  // First: the SDK must be running before any tracer is used (spans, trace ids in logs, traceparent to the API).
  // No /metrics here; tool authors' metrics (toolMetrics) go out over OTLP when an endpoint is configured.
  // No async context propagation: a job's spans, requests and log lines find its run span by job id (job-span.ts, issue 12).
  const telemetry = startNodeTelemetry({ serviceName: 'netdiag-runner', otlpMetrics: true });
  setRunnerTracing(telemetry.tracing === 'otlp'); // no tracer provider: no job and exec spans to make (job-span.ts)
  // NETDIAG_STAGE_TIMES=true: per-job timestamps for the bench's breakdown (off by default, then free).
  installStageTimes(process.env, 'netdiag-runner', 'runner.completeAcked');
  collectWhenIdle(); // idle RSS, also what each job's fork copies (issue 12); a no-op without --expose-gc
  // The same layering as the API: env > MCP_CONFIG_FILE > defaults, out-of-range numbers clamped with a warning.
  const resolved = loadResolvedConfig(process.env);
  const config = loadRunnerConfig(resolved.values);
  const logger = createLogger('netdiag-runner', config.logLevel);
  for (const w of resolved.warnings) logger.warn({ key: w.key, given: w.given, used: w.used }, w.message);
  // Built-in executors plus TOOLS_PACKAGE's (broken folders are logged and skipped); from here on they are all alike.
  const executors = await withToolsPackage(builtinExecutors, resolved.values['TOOLS_PACKAGE'], logger);
  checkConcurrencyTools(config.guards.concurrency, executors.keys());
  // Each tool's binary and the programs it declares it runs (policy.execs: the only others its jobs may execute).
  const wanted = [...executors.values()]
    .flatMap((e) => [e.definition.policy.binary, ...(e.definition.policy.execs ?? [])])
    .filter((b): b is string => b !== null);
  const binaries = resolveBinaries(wanted, config.binaryDirs);
  const { offered: tools, unavailable } = offeredTools(executors.values(), binaries, config.tools);
  for (const [tool, reason] of Object.entries(unavailable)) logger.warn({ tool, reason }, 'tool not offered');
  // Once, before any job: what confinement works on this host (never probed per job).
  // NETDIAG_SANDBOX_HELPER, else the helper `npm run build` compiles next to this file (the probe checks its modes).
  const bundledHelper = join(dirname(fileURLToPath(import.meta.url)), 'netdiag-sandbox');
  const helperPath = config.sandbox.helperPath ?? (existsSync(bundledHelper) ? bundledHelper : undefined);
  const probe = await probeSandbox({ helperPath, pidNamespace: config.sandbox.pidNamespace, hardening: config.sandbox.hardening.wanted, cgroups: true });
  for (const note of probe.notes) logger.warn({ note }, 'sandbox degraded');
  const protections = activeProtections(probe.sandbox);
  // Helper mode: one resident spawn server forks every job, so the runner never forks per job (sandbox/spawn-server.ts).
  setSpawnServerEnabled(config.sandbox.spawnServer);
  const spawner = probe.sandbox.mode === 'helper' && probe.sandbox.paths.helper ? await startSpawnServer(probe.sandbox.paths.helper) : 'node-spawn';
  if (spawner === 'node-spawn' && probe.sandbox.mode === 'helper' && config.sandbox.spawnServer)
    logger.warn({}, 'spawn server did not start: jobs use Node spawn');
  logger.info({ sandbox: describeSandbox(probe.sandbox), protections, paths: probe.sandbox.paths, spawner }, 'sandbox ready');
  // NETDIAG_SANDBOX_REQUIRE: a host that cannot give a job these protections runs no job at all (docs/security.md, "Sandbox").
  const missing = missingProtections(config.sandbox.hardening.require, protections);
  if (missing.length > 0) throw new ConfigError(`NETDIAG_SANDBOX_REQUIRE: this host cannot give jobs ${missing.join(', ')} (see the sandbox notes above)`);
  // As PID 1 (a container without an init) every orphan on the host side becomes ours, and Node reaps only the
  // children it spawned: run the image under a minimal init (docker run --init, tini) (docs/security.md, "Sandbox").
  if (process.pid === 1) {
    logger.warn(
      { pidNamespace: probe.sandbox.pidNamespace },
      'the runner is PID 1: orphans it adopts are never reaped; start it under a minimal init (docker run --init or tini)',
    );
  }
  // Per tool: MCP_CONCURRENCY_<TOOL>, else MCP_DEFAULT_CONCURRENCY, else from the tool's weight and the cores.
  const concurrencyOf = toolConcurrency(config.guards, (tool) => executors.get(tool)?.definition.policy.weight, config.cores);
  const guards = createToolGuards({
    concurrency: concurrencyOf,
    threshold: config.guards.breakerThreshold,
    recoveryMs: config.guards.breakerRecoveryMs,
    onStateChange: (tool, breaker) =>
      breaker === 'OPEN' ? logger.warn({ tool, breaker }, 'circuit breaker opened') : logger.info({ tool, breaker }, 'circuit breaker'),
  });
  if (config.transport.insecureWarning) logger.warn({ api: config.apiUrl }, config.transport.insecureWarning);
  const transport = runnerTransport(config, logger);
  const api = new RunnerApi(
    createRunnerClient({ baseUrl: config.apiUrl, token: config.token, fetch: jobTraceFetch(transport.fetch) }),
    config.runnerId,
    logger,
  );
  const stop = new AbortController();
  let firstSignalAt: number | undefined;
  const onSignal = (sig: string): void => {
    // Ctrl-C reaches the whole process group and `npm start` then sends its own SIGTERM: a second signal within
    // a second is the same request to stop; a later one means "stop now".
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt > 1000) process.exit(130);
      return;
    }
    firstSignalAt = Date.now();
    logger.info({ signal: sig }, 'stopping: no new jobs; running jobs finish');
    stop.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  logger.info(
    {
      runnerId: config.runnerId,
      api: config.apiUrl,
      tools,
      binaries: Object.fromEntries(binaries),
      allowed: config.policy.describe(),
      cores: config.cores,
      capacity: config.capacity,
      concurrency: Object.fromEntries(tools.map((t) => [t, concurrencyOf(t)])),
    },
    'runner started',
  );
  const registration = await api.register(
    {
      version: pkg.version,
      tools,
      unavailable,
      privileged: config.tools.privileged,
      capacity: config.capacity,
      sandbox: { mode: probe.sandbox.mode, protections, lacking: SANDBOX_PROTECTIONS.filter((p) => !protections.includes(p)) },
    },
    stop.signal,
  );
  if (registration === 'unsupported') logger.warn({}, 'the API has no /runner/register (older API); known from claims only');
  // The push path for cancellation; it outlives `stop` so jobs still draining can be cancelled (docs/design.md, "Job protocol").
  const running = new RunningJobs();
  const controlStop = new AbortController();
  const control = controlLoop({ api, running, longPollMs: config.longPollMs, logger }, controlStop.signal);
  await pollLoop(
    {
      api,
      tools,
      capacity: config.capacity,
      longPollMs: config.longPollMs,
      logger,
      breakers: () => breakerReport(guards.state()),
      run: (job) => traceJob(job, config.runnerId, () => runJob({ api, config, binaries, executors, logger, sandbox: probe.sandbox, guards, running }, job)),
    },
    stop.signal,
  );
  controlStop.abort();
  await control;
  // Graceful stop: every job has reported; leave now rather than after a lease period of silence.
  if (registration === 'registered') await api.deregister();
  transport.close();
  logger.info({}, 'runner stopped');
  await telemetry.shutdown().catch(() => undefined);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`netdiag-runner: ${err instanceof ConfigError ? 'configuration error: ' : ''}${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
