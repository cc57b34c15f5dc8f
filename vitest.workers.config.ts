// The tests that run inside workerd (the Workers runtime) through @cloudflare/vitest-pool-workers: the JobStore
// contract and the Durable Object broker (test/workerd/*.spec.ts). `npm run test:workers`; `npm test` runs it too.
// The Worker is wrangler.toml's, local only: no remote bindings, and nothing sent anywhere (scripts/wrangler-env.mjs).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { wranglerEnv } from './scripts/wrangler-env.mjs';

// The pool runs wrangler and miniflare in this process: give it the same environment as every other wrangler run
// (account variables removed, the off-switches set).
const safe = wranglerEnv();
for (const name of Object.keys(process.env)) if (!(name in safe)) delete process.env[name];
Object.assign(process.env, safe);

// test/workerd/docs.spec.ts checks that /docs serves exactly the installed Swagger UI files.
const swaggerUi = (file: string): string => createRequire(import.meta.url).resolve(`swagger-ui-dist/${file}`);
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const swaggerUiSha256 = Object.fromEntries(['swagger-ui-bundle.js', 'swagger-ui.css'].map((f) => [f, sha256(swaggerUi(f))]));

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: './functions/worker.ts',
      wrangler: { configPath: './wrangler.toml' },
      remoteBindings: false,
      miniflare: { cf: false },
    }),
  ],
  test: {
    include: ['test/workerd/**/*.spec.ts'],
    provide: { swaggerUiSha256 },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
