/** Node entry for the API: reads env and the token records, opens the audit log, serves the app, drains on SIGTERM. */
import { createHash } from 'node:crypto';
import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server';
import type { Server as HttpServer } from 'node:http';
import { type Server as HttpsServer, createServer as createHttpsServer } from 'node:https';
import pkg from '../package.json' with { type: 'json' };
import { auditFromSettings } from './node/audit-file';
import { loadDocsAssets } from './node/docs-assets';
import { parseNodeSettings } from './node/node-env';
import { installShutdown } from './node/shutdown';
import { reloadOnSighup, runnerCertificateOf, tlsServerOptions } from './node/tls-server';
import type { RunnerCertificate } from './src/auth/runner-certificate';
import { loadResolvedConfig } from './shared/node/load-config';
import { startNodeTelemetry } from './shared/node/otel';
import { prometheusMetrics } from './shared/node/prometheus-metrics';
import { installStageTimes } from './shared/node/stage-times-writer';
import { stampRequestStages } from './node/stage-stamps';
import { attachRunnerChannel } from './node/runner-channel/channel-server';
import { BufferedIncomingMessage } from './node/buffered-incoming';
import { collectWhenIdle } from './shared/node/idle-gc';
import { loadTokens } from './node/tokens';
import { createApp } from './src/app';
import { flushAfterAnswer } from './src/telemetry/after-answer';
import { ConfigError } from './shared/config/env-schema';
import { parseApiSettings } from './src/config/settings';
import { createDeps } from './src/create-deps';
import { createLogger } from './shared/node/logger';
import { loadToolsPackage } from './shared/node/tools-package/load';
import { toolDefinitions } from './tools/index';

async function main(): Promise<void> {
  // First: meters and tracers taken before the SDK starts stay no-ops.
  const telemetry = startNodeTelemetry({ serviceName: 'netdiag-api', metrics: prometheusMetrics });
  // NETDIAG_STAGE_TIMES=true: per-job timestamps for the bench's breakdown (off by default, then free).
  // A /mcp POST's own stamps (mcp-http/mcp-stage-stamps.ts) are a line of their own, ended by its answer's write.
  const stageTimes = installStageTimes(process.env, 'netdiag-api', ['api.answered', 'mcp.written']);
  // Idle RSS (issue 12): give start-up and burst garbage back once idle; a no-op unless Node runs with --expose-gc.
  collectWhenIdle();
  // env > MCP_CONFIG_FILE > defaults; out-of-range numbers come back clamped, with one warning each.
  const config = loadResolvedConfig(process.env);
  const settings = parseApiSettings(config.values);
  const nodeSettings = parseNodeSettings(config.values);
  const logger = createLogger('netdiag-api', settings.logLevel);
  if (config.file) logger.info({ file: config.file, keys: Object.keys(config.sources).filter((k) => config.sources[k] === 'file') }, 'configuration file read');
  for (const w of config.warnings) logger.warn({ key: w.key, given: w.given, used: w.used }, w.message);
  const tokens = loadTokens(nodeSettings);
  // HTTPS when a certificate is configured (read and checked now: a bad file stops the start, exit 78).
  const tls = nodeSettings.tls;
  const tlsOptions = tls ? tlsServerOptions(tls) : undefined;
  // Runner mTLS: each request's client certificate, looked up by the runner routes (src/auth/runner-certificate.ts).
  const certificates = new WeakMap<Request, RunnerCertificate>();
  const audit = auditFromSettings(nodeSettings.auditFile, logger, nodeSettings.replicaId);
  // TOOLS_PACKAGE: definitions (validated, rate limited, policed like built-ins) and their health checks; never executors.
  const custom = await loadToolsPackage(config.values['TOOLS_PACKAGE'], { side: 'api', reserved: toolDefinitions.map((d) => d.name), logger });
  // REDIS_URL: jobs, runners, rate limits, tool state and events shared with other replicas (docs/design.md, "Broker").
  // Loaded only then: a single process never pays for the Redis client.
  const broker = settings.redisUrl ? await (await import('./node/broker/broker-from-settings')).brokerFromSettings(settings, logger) : undefined;
  const deps = createDeps({
    broker: broker ? () => broker : undefined,
    env: config.values,
    configOrigin: { sources: config.sources, warnings: config.warnings },
    tokens,
    audit: audit?.sink,
    version: pkg.version,
    logger,
    hash: (t) => createHash('sha256').update(t).digest('hex'),
    docsAssets: loadDocsAssets(logger),
    metrics: telemetry.metrics,
    tools: custom.map((t) => t.definition),
    healthChecks: custom.flatMap((t) => t.healthChecks),
    runnerCertificate: tls?.runnerClientCaFile ? (request) => certificates.get(request) : undefined,
  });
  const app = createApp(deps);
  const fetch = tls?.runnerClientCaFile
    ? (request: Request, env: HttpBindings | Http2Bindings) => {
        certificates.set(request, runnerCertificateOf(env.incoming.socket));
        return app.fetch(request, env);
      }
    : app.fetch;
  // Bodies already in whole are read in one step (node/buffered-incoming.ts).
  const incoming = { IncomingMessage: BufferedIncomingMessage };
  // Stage times on: arrivals and the answers' writes are stamped too (node/stage-stamps.ts); off, the app's fetch as it is.
  const listen = { fetch: stageTimes ? stampRequestStages(fetch) : fetch, hostname: settings.host, port: settings.port, serverOptions: incoming };
  const scheme = tlsOptions ? 'https' : 'http';
  const server = serve(tlsOptions ? { ...listen, createServer: createHttpsServer, serverOptions: { ...tlsOptions, ...incoming } } : listen, (info) => {
    // Announced whatever LOG_LEVEL says: supervisors and tests read the port from it (MCP_SERVER_PORT=0).
    process.stderr.write(
      `${JSON.stringify({ level: 30, time: Date.now(), name: 'netdiag-api', host: settings.host, port: info.port, url: `${scheme}://${settings.host}:${info.port}`, tls: tlsOptions !== undefined, runnerMtls: tls?.runnerClientCaFile !== undefined, msg: 'listening' })}\n`,
    );
  });
  // With a certificate: reload it; without: log and keep serving (Node's default would end the process).
  reloadOnSighup(tls ? (server as HttpsServer) : undefined, tls, logger);
  // Calls are held until their job ends (nmap may run for minutes): no request timeout; keep-alive outlives long-polls.
  Object.assign(server, { requestTimeout: 0, keepAliveTimeout: 65_000, headersTimeout: 66_000 });
  // The runner channel: a runner's requests over one WebSocket, each answered through the app like its REST request
  // (docs/design.md, "Runner channel"; Node only: Workers keeps REST). Closed after the drain, so reports still arrive.
  const channel = attachRunnerChannel(server as HttpServer, {
    tokens: deps.tokens,
    certificateOf: tls?.runnerClientCaFile ? runnerCertificateOf : undefined,
    dispatch: (request, socket, env) => {
      if (tls?.runnerClientCaFile) certificates.set(request, runnerCertificateOf(socket));
      return app.fetch(request, env);
    },
    logger,
  });
  installShutdown({
    deps,
    server,
    graceMs: nodeSettings.shutdownGraceMs,
    beforeClose: () => channel.close(),
    onClosed: () => {
      void deps.mcpSessions.closeAll();
      void deps.broker.close();
      audit?.close();
    },
    // What the last answers still owe (request lines, metrics, spans: src/telemetry/after-answer.ts) first.
    flushLogs: (done) =>
      void Promise.resolve()
        .then(flushAfterAnswer)
        .catch(() => undefined)
        .then(() => telemetry.shutdown())
        .catch(() => undefined)
        .finally(() => logger.flush(() => done())),
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`netdiag-api: configuration error: ${err.message}\n`);
    process.exit(78);
  }
  throw err;
});
