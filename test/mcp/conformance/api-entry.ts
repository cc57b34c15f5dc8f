/**
 * The API as the conformance run starts it: the ordinary app plus the MCP conformance fixture tools on /mcp.
 * Test-only: it lives under test/, no build includes it, and it refuses to start without MCP_CONFORMANCE_FIXTURES=1.
 * Run with `node --import tsx`; prints {"port":N} on stderr once listening on 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { serve } from '@hono/node-server';
import { loadTokens } from '../../../functions/node/tokens';
import { createApp } from '../../../functions/src/app';
import { createDeps } from '../../../functions/src/create-deps';
import { conformanceFeatures } from './fixtures/features';
import { conformanceFixtures, requireFixtureFlag } from './fixtures/index';

requireFixtureFlag('conformance API entry');
const deps = createDeps({
  env: process.env,
  tokens: loadTokens({ tokensJson: undefined, tokensFile: process.env['MCP_TOKENS_FILE'] }),
  version: 'conformance',
  hash: (t) => createHash('sha256').update(t).digest('hex'),
});
const app = createApp({ ...deps, mcpLocalTools: conformanceFixtures, mcpLocalFeatures: conformanceFeatures });
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
  process.stderr.write(`${JSON.stringify({ msg: 'listening', port: info.port })}\n`),
);
const stop = (): void => {
  deps.jobs.close();
  void deps.mcpSessions.closeAll();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
