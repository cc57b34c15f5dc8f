/** Runner entry: load config, resolve binaries once, run the poll loop; SIGTERM drains, a second one stops now. */
import { createApiClient } from '../../openapi/client';
import { ConfigError } from '../../functions/src/config/env-schema';
import { RunnerApi } from './api';
import { loadRunnerConfig } from './config';
import { runJob } from './job-runner';
import { createLogger } from './logger';
import { pollLoop } from './poll-loop';
import { resolveBinaries } from './sandbox/binaries';
import { executors } from './tools/registry';

async function main(): Promise<void> {
  const config = loadRunnerConfig(process.env);
  const logger = createLogger('netdiag-runner', config.logLevel);
  const wanted = [...executors.values()].map((e) => e.definition.policy.binary).filter((b): b is string => b !== null);
  const binaries = resolveBinaries(wanted, config.binaryDirs);
  const tools = [...executors.values()]
    .filter((e) => (e.definition.policy.binary === null || binaries.has(e.definition.policy.binary)) && (e.available?.(config.tools) ?? true))
    .map((e) => e.definition.name);
  for (const e of executors.values()) {
    const bin = e.definition.policy.binary;
    if (bin && !binaries.has(bin)) logger.warn({ tool: e.definition.name, binary: bin, install: `apt-get install -y ${e.definition.policy.debianPackage ?? bin}` }, 'binary not found; tool not advertised');
  }
  const api = new RunnerApi(createApiClient({ baseUrl: config.apiUrl, token: config.token }), config.runnerId, logger);
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (sig: string): void => {
    signals += 1;
    if (signals > 1) process.exit(130);
    logger.info({ signal: sig }, 'stopping: no new jobs; running jobs finish');
    stop.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  logger.info({ runnerId: config.runnerId, api: config.apiUrl, tools, binaries: Object.fromEntries(binaries), allowed: config.policy.describe() }, 'runner started');
  await pollLoop({ api, tools, capacity: config.capacity, longPollMs: config.longPollMs, logger, run: (job) => runJob({ api, config, binaries, executors, logger }, job) }, stop.signal);
  logger.info({}, 'runner stopped');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`netdiag-runner: ${err instanceof ConfigError ? 'configuration error: ' : ''}${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
