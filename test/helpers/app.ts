import { createHash } from 'node:crypto';
import { createApp } from '../../functions/src/app';
import { createTokenVerifier } from '../../functions/src/auth/tokens';
import { type ApiSettings, parseApiSettings, policyFromSettings } from '../../functions/src/config/settings';
import { silentLogger } from '../../functions/src/deps';
import { MemoryJobStore } from '../../functions/src/jobs/memory-store';
import { toolDefinitions } from '../../functions/src/tools/index';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');

export const TOKENS = { client: 'client-token-aaaaaaaaaaaa', runner: 'runner-token-bbbbbbbbbbbb', reader: 'reader-token-cccccccccccc', admin: 'admin-token-dddddddddddd', pingOnly: 'pingonly-token-eeeeeeeeee' };

/** An app with in-memory jobs and known tokens, for app.request() tests. */
export function makeTestApp(env: Record<string, string> = {}, overrides: Partial<ApiSettings> = {}) {
  const settings = { ...parseApiSettings(env), ...overrides };
  const jobs = new MemoryJobStore({ leaseMs: settings.leaseMs, maxQueued: settings.maxQueuedJobs, maxRetained: 100 });
  const tokens = createTokenVerifier([
    { id: 'client', sha256: sha256(TOKENS.client), scopes: ['tools:read', 'tools:run'] },
    { id: 'runner', sha256: sha256(TOKENS.runner), scopes: ['runner'] },
    { id: 'reader', sha256: sha256(TOKENS.reader), scopes: ['tools:read'] },
    { id: 'admin', sha256: sha256(TOKENS.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] },
    { id: 'nmap-only', sha256: sha256(TOKENS.pingOnly), scopes: ['tools:read', 'tools:run'], tools: ['nmap'] },
  ]);
  const app = createApp({ settings, policy: policyFromSettings(settings), tools: toolDefinitions, tokens, jobs, logger: silentLogger, version: 'test' });
  const call = (method: string, path: string, token?: string, body?: unknown): Promise<Response> =>
    Promise.resolve(
      app.request(`http://localhost${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      }),
    );
  return { app, jobs, settings, call };
}
