/** One timed TCP connection to a pinned address: never a name lookup, stopped by the deadline or the job's signal. */
import { type LookupFunction, Socket } from 'node:net';
import { describeNetError } from '../../../functions/tools/common/net-errors';

export type ConnectAttempt = { connected: true; timeMs: number } | { connected: false; error: string };

/** Node only calls lookup for a name; the address is always an IP literal here, so this is the guard that it stays so. */
const noLookup: LookupFunction = (hostname, _options, callback) =>
  callback(Object.assign(new Error(`refusing to resolve "${hostname}"`), { code: 'ENOTIP' }), '', 4);

export function connectOnce(address: string, port: number, family: 4 | 6, timeoutMs: number, signal: AbortSignal): Promise<ConnectAttempt> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const started = performance.now();
    let settled = false;
    const finish = (a: ConnectAttempt): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Nothing is sent: the connection (or the attempt) is simply closed.
      socket.destroy();
      resolve(a);
    };
    const onAbort = (): void => finish({ connected: false, error: 'stopped (cancelled or deadline)' });
    const timer = setTimeout(() => finish({ connected: false, error: `no connection within ${timeoutMs} ms` }), timeoutMs);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ connected: true, timeMs: Math.round((performance.now() - started) * 1000) / 1000 }));
    // `on`, not `once`: an error after the attempt ended must not become an uncaught exception.
    socket.on('error', (err) => finish({ connected: false, error: describeNetError(err, `${address} port ${port}`) }));
    socket.connect({ host: address, port, family, lookup: noLookup });
  });
}
