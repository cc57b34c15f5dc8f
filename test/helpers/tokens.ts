import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir';

export interface TestTokens {
  /** tools:read + tools:run */
  client: string;
  runner: string;
  admin: string;
  /** tools:read only */
  reader: string;
  file: string;
  dir: string;
}

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');

/** A fresh tokens file (hashes only) in a temp dir, and the plaintext tokens for the test. */
export function makeTokens(): TestTokens {
  const dir = tempDir('netdiag-test-');
  const make = (): string => `t_${randomBytes(18).toString('base64url')}`;
  const t = { client: make(), runner: make(), admin: make(), reader: make() };
  const file = join(dir, 'tokens.json');
  writeFileSync(
    file,
    JSON.stringify([
      { id: 'client', sha256: sha256(t.client), scopes: ['tools:read', 'tools:run'] },
      { id: 'runner', sha256: sha256(t.runner), scopes: ['runner'] },
      { id: 'admin', sha256: sha256(t.admin), scopes: ['tools:read', 'tools:run', 'tools:admin'] },
      { id: 'reader', sha256: sha256(t.reader), scopes: ['tools:read'] },
    ]),
  );
  return { ...t, file, dir };
}
