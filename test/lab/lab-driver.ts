/**
 * Runs INSIDE the lab network namespace (started by netns.test.ts with `ip netns exec`): API and runner on the
 * namespace's own loopback with the product's default allowlist (private ranges, loopback off), then one
 * traceroute and one nmap call to the target namespace. Prints one JSON line with the results on stdout.
 */
import { execute, startApi, startRunner } from '../helpers/processes';
import { makeTokens } from '../helpers/tokens';

const [targetAddress, port] = [process.argv[2] ?? '', Number(process.argv[3])];
const tokens = makeTokens();
const api = await startApi(tokens);
const runner = await startRunner(api, tokens, {}, { waitFor: 'nmap' });
try {
  const traceroute = await execute(api, tokens.client, 'traceroute', { target: targetAddress, maxHops: 5, queries: 1, waitSec: 1 });
  const nmap = await execute(api, tokens.client, 'nmap', { target: targetAddress, ports: `${port},${port + 1}` });
  const loopback = await execute(api, tokens.client, 'ping', { target: '127.0.0.1', count: 1 });
  process.stdout.write(`${JSON.stringify({ traceroute, nmap, loopback })}\n`);
} finally {
  await runner.stop();
  await api.stop();
}
