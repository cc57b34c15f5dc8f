/** stdio entry: the only file that touches process.stdin and process.stdout. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { readShimConfig } from './config';
import { createLog } from './log';
import { createServer } from './server';
import { startShimTelemetry } from './telemetry';
import { shimApiFetch } from './transport';

declare const __SHIM_VERSION__: string;

const { config, warnings } = readShimConfig(process.env);
const log = createLog(config.logLevel, (line) => process.stderr.write(line));
for (const w of warnings) log('warn', w);
// Tracing is off (plain fetch, transport untouched) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
const telemetry = startShimTelemetry(process.env, log, shimApiFetch(config, log));

const { server, cleanup } = createServer({ ...config, version: typeof __SHIM_VERSION__ === 'string' ? __SHIM_VERSION__ : 'dev', log, fetch: telemetry.fetch });
const transport = telemetry.instrument(new StdioServerTransport());
let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  void cleanup()
    .catch(() => undefined)
    .then(() => telemetry.shutdown())
    .finally(() => process.exit(0));
};
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
server.connect(transport).then(
  () => log('debug', 'shim ready', { apiUrl: config.apiUrl }),
  (err: unknown) => {
    log('error', 'failed to start', { err: String(err) });
    process.exit(1);
  },
);
