/**
 * The REST floor's server (bench/floors.ts): a bare node:http server on loopback that reads the request body and
 * answers a small fixed JSON body at once, the shape of a completed REST ping. Run as `node --import tsx` this file;
 * it prints its port and exits when its stdin ends (the bench is gone).
 */
import { createServer } from 'node:http';
import { LOOPBACK_PING_RESULT as RESULT } from '../test/helpers/ping-result';

const BODY = JSON.stringify({ status: 'succeeded', result: RESULT, durationMs: 0 });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }).end(BODY));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.stdin.on('end', () => process.exit(0)).resume();
