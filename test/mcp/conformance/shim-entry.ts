/**
 * The stdio shim as the conformance run starts it (behind supergateway): the ordinary shim plus the MCP conformance
 * fixture tools. Test-only: no build includes it, and it refuses to start without MCP_CONFORMANCE_FIXTURES=1.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { readShimConfig } from '../../../shim/src/config';
import { createLog } from '../../../shim/src/log';
import { createServer } from '../../../shim/src/server';
import { conformanceFeatures } from './fixtures/features';
import { conformanceFixtures, requireFixtureFlag } from './fixtures/index';

requireFixtureFlag('conformance shim entry');
const { config } = readShimConfig(process.env);
const log = createLog(config.logLevel, (line) => process.stderr.write(line));
const { server, cleanup } = createServer({ ...config, version: 'conformance', log, localTools: conformanceFixtures, localFeatures: conformanceFeatures });
const stop = (): void => void cleanup().finally(() => process.exit(0));
process.stdin.on('close', stop);
process.on('SIGTERM', stop);
void server.connect(new StdioServerTransport());
