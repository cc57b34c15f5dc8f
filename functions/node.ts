/** Node entry for the API: reads env and the tokens file, serves the app, stops cleanly. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { z } from 'zod';
import pkg from '../package.json' with { type: 'json' };
import { createApp } from './src/app';
import { TokenRecordSchema } from './src/auth/tokens';
import { ConfigError } from './src/config/env-schema';
import { parseApiSettings } from './src/config/settings';
import { createDeps } from './src/create-deps';
import { pinoLevel } from './src/config/log-level';

function loadTokens(path: string | undefined): z.infer<typeof TokenRecordSchema>[] {
  if (!path) throw new ConfigError('MCP_TOKENS_FILE: not set; the API needs a tokens file (npm start writes one to .netdiag/tokens.json)');
  const parsed = z.array(TokenRecordSchema).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ConfigError(`MCP_TOKENS_FILE: ${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function main(): void {
  const settings = parseApiSettings(process.env);
  const logger = pino({ name: 'netdiag-api', level: pinoLevel(settings.logLevel) }, pino.destination(2));
  const deps = createDeps({
    env: process.env,
    tokens: loadTokens(settings.tokensFile),
    version: pkg.version,
    logger,
    hash: (t) => createHash('sha256').update(t).digest('hex'),
  });
  const { jobs } = deps;
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: settings.host, port: settings.port }, (info) => {
    // Announced whatever LOG_LEVEL says: supervisors and tests read the port from it (MCP_SERVER_PORT=0).
    process.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), name: 'netdiag-api', host: settings.host, port: info.port, url: `http://${settings.host}:${info.port}`, msg: 'listening' })}\n`);
  });
  // Calls are held until their job ends (nmap may run for minutes): no request timeout; keep-alive outlives long-polls.
  Object.assign(server, { requestTimeout: 0, keepAliveTimeout: 65_000, headersTimeout: 66_000 });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping');
    jobs.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

try {
  main();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`netdiag-api: configuration error: ${err.message}\n`);
    process.exit(78);
  }
  throw err;
}
