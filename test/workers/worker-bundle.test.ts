// The deployable Worker as `npm run build:workers` makes it (wrangler itself, offline, into a temporary folder): the
// MCP SDK's Ajv validator is aliased away (wrangler.toml `[alias]`, functions/workers/no-ajv.ts), since the MCP
// server never builds it (functions/mcp/no-schema-validator.ts). dev-workers.test.ts serves /mcp from the same config.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes';

let outdir: string;
let worker: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'netdiag-worker-bundle-'));
  const run = spawnSync(process.execPath, [`${ROOT}scripts/build-workers.mjs`, outdir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  worker = readFileSync(join(outdir, 'worker.js'), 'utf8');
}, 130_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the Worker bundle', () => {
  it('holds the MCP SDK but not Ajv, its formats or fast-uri', () => {
    expect(worker).toMatch(/node_modules\/@modelcontextprotocol\/sdk\//);
    expect(worker).not.toMatch(/node_modules\/(ajv|ajv-formats|fast-uri)\//);
    expect(worker).toContain('Ajv is not in the Worker bundle');
  });
});
