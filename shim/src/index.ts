/** stdio entry: the only file that touches process.stdin and process.stdout. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { type LogLevel, createLog } from './log';
import { createServer } from './server';

declare const __SHIM_VERSION__: string;

const env = process.env;
const level = (['debug', 'info', 'warn', 'error'] as const).find((l) => l === env['NETDIAG_LOG_LEVEL']?.toLowerCase()) ?? 'info';
const log = createLog(level as LogLevel, (line) => process.stderr.write(line));
const apiUrl = env['NETDIAG_API_URL'] ?? 'http://127.0.0.1:8080';
const token = env['NETDIAG_TOKEN'] ?? '';
const timeoutMs = Number(env['NETDIAG_TIMEOUT_MS'] ?? '') || 660_000;
if (!token) log('warn', 'NETDIAG_TOKEN is not set; every call will be rejected by the API');

const { server, cleanup } = createServer({ apiUrl, token, timeoutMs, version: typeof __SHIM_VERSION__ === 'string' ? __SHIM_VERSION__ : 'dev', log });
const transport = new StdioServerTransport();
const shutdown = (): void => {
  void cleanup().finally(() => process.exit(0));
};
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
server.connect(transport).then(
  () => log('debug', 'shim ready', { apiUrl }),
  (err: unknown) => {
    log('error', 'failed to start', { err: String(err) });
    process.exit(1);
  },
);
