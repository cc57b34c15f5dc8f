import type { LogLevel } from './log';

export interface ShimConfig {
  apiUrl: string;
  token: string;
  timeoutMs: number;
  logLevel: LogLevel;
  /** NETDIAG_CA_FILE: a private lab CA for the API's certificate. */
  caFile: string | undefined;
  /** NETDIAG_ALLOW_INSECURE=true: plain HTTP to a non-loopback API (warned about at every start). */
  allowInsecure: boolean;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** NETDIAG_API_URL, NETDIAG_TOKEN, NETDIAG_TIMEOUT_MS, NETDIAG_LOG_LEVEL, NETDIAG_CA_FILE, NETDIAG_ALLOW_INSECURE; problems are warnings, never a refusal to start. */
export function readShimConfig(env: Readonly<Record<string, string | undefined>>): { config: ShimConfig; warnings: string[] } {
  const warnings: string[] = [];
  const apiUrl = env['NETDIAG_API_URL'] || 'http://127.0.0.1:8080';
  if (!/^https?:\/\/[^/]/.test(apiUrl)) warnings.push(`NETDIAG_API_URL is not an http(s) URL: "${apiUrl}"; every call will fail`);
  const token = env['NETDIAG_TOKEN'] ?? '';
  if (!token) warnings.push('NETDIAG_TOKEN is not set; every call will be rejected by the API');
  const rawTimeout = env['NETDIAG_TIMEOUT_MS'];
  const parsed = Number(rawTimeout);
  const timeoutMs = rawTimeout && Number.isInteger(parsed) && parsed > 0 ? parsed : 660_000;
  if (rawTimeout && timeoutMs !== parsed) warnings.push(`NETDIAG_TIMEOUT_MS is not a positive integer: "${rawTimeout}"; using ${timeoutMs}`);
  const logLevel = LEVELS.find((l) => l === env['NETDIAG_LOG_LEVEL']?.toLowerCase()) ?? 'info';
  const caFile = env['NETDIAG_CA_FILE'] || undefined;
  // MCP clients start the shim in a working directory of their choosing: a relative path finds nothing there.
  if (caFile && !caFile.startsWith('/')) warnings.push(`NETDIAG_CA_FILE is a relative path ("${caFile}"); use an absolute one`);
  const allowInsecure = /^(true|1|yes)$/i.test(env['NETDIAG_ALLOW_INSECURE'] ?? '');
  return { config: { apiUrl, token, timeoutMs, logLevel, caFile, allowInsecure }, warnings };
}
