import { createHash } from 'node:crypto';
import { createApp } from '../../functions/src/app';
import type { ApiSettings } from '../../functions/src/config/settings';
import { createDeps } from '../../functions/src/create-deps';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');

export const TOKENS = {
  client: 'client-token-aaaaaaaaaaaa',
  runner: 'runner-token-bbbbbbbbbbbb',
  reader: 'reader-token-cccccccccccc',
  admin: 'admin-token-dddddddddddd',
  nmapOnly: 'nmaponly-token-eeeeeeeeee',
};

/** An app with in-memory jobs and known tokens, for app.request() tests. */
export function makeTestApp(env: Record<string, string> = {}, overrides: Partial<ApiSettings> = {}) {
  const deps = createDeps({
    env,
    overrides,
    version: 'test',
    tokens: [
      { id: 'client', sha256: sha256(TOKENS.client), scopes: ['tools:read', 'tools:run'] },
      { id: 'runner', sha256: sha256(TOKENS.runner), scopes: ['runner'] },
      { id: 'reader', sha256: sha256(TOKENS.reader), scopes: ['tools:read'] },
      { id: 'admin', sha256: sha256(TOKENS.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] },
      { id: 'nmap-only', sha256: sha256(TOKENS.nmapOnly), scopes: ['tools:read', 'tools:run'], tools: ['nmap'] },
    ],
  });
  const app = createApp(deps);
  const { jobs, settings } = deps;
  const call = (method: string, path: string, token?: string, body?: unknown): Promise<Response> =>
    Promise.resolve(
      app.request(`http://localhost${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      }),
    );
  return { app, jobs, settings, deps, call };
}
