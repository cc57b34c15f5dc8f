import tls from 'node:tls';

export type Handshake = { ok: true; socket: tls.TLSSocket; handshakeMs: number } | { ok: false; aborted: boolean; error: unknown };

/**
 * tls.connect that settles exactly once: on secureConnect, on error, on close, or when the signal aborts.
 * On failure the socket is already destroyed; on success the caller owns it and must destroy it.
 */
export function tlsHandshake(options: tls.ConnectionOptions, signal: AbortSignal): Promise<Handshake> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ ok: false, aborted: true, error: new Error('stopped before connecting') });
      return;
    }
    const started = performance.now();
    const socket = tls.connect(options);
    let settled = false;
    const settle = (h: Handshake): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (!h.ok) socket.destroy();
      resolve(h);
    };
    const onAbort = (): void => settle({ ok: false, aborted: true, error: new Error('stopped during the handshake') });
    signal.addEventListener('abort', onAbort, { once: true });
    // Kept after settling too: a late error on a socket with no listener would crash the runner.
    socket.on('error', (error) => settle({ ok: false, aborted: false, error }));
    socket.once('close', () => settle({ ok: false, aborted: false, error: new Error('the server closed the connection during the handshake') }));
    socket.once('secureConnect', () => settle({ ok: true, socket, handshakeMs: performance.now() - started }));
  });
}
