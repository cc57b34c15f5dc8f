// Test support for native executors (imported only by *.test.ts): a NativeContext without the job machinery,
// and loopback servers that always close. Everything here binds and connects to 127.0.0.1 only.
import type { AddressInfo, Server, Socket } from 'node:net';
import { policyFromSettings } from '../../functions/shared/policy/from-settings';
import { DEFAULT_ALLOWED_TARGETS } from '../../functions/shared/policy/ranges';
import { pinTarget } from '../../runner/src/target/pin-target';
import type { ExecTarget, NativeContext, ToolSettings } from '../../functions/shared/tool/executor';

export const LOOPBACK: ExecTarget = { target: '127.0.0.1', address: '127.0.0.1', family: 4 };

/** A context as executeJob builds it, with the runner's real pin() over a loopback-allowing policy. */
export function nativeContext(options: { target?: ExecTarget; signal?: AbortSignal; settings?: Partial<ToolSettings> } = {}): NativeContext {
  const policy = policyFromSettings({ allowedTargets: DEFAULT_ALLOWED_TARGETS, allowLoopback: true, maxCidrHosts: 1024 });
  return {
    target: options.target ?? LOOPBACK,
    settings: { allowIntrusive: false, privileged: false, httpMaxRedirects: 0, ...options.settings },
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: 10_000,
    report: () => undefined,
    pin: async (raw) => {
      const p = await pinTarget(policy, raw, false, true, (hostname) => Promise.reject(new Error(`test: no DNS lookups (${hostname})`)));
      if (!p.ok) return { ok: false, message: p.refusal.message };
      return {
        ok: true,
        target: { target: raw, address: p.address, family: p.family, hostname: p.target.kind === 'hostname' ? p.target.hostname : undefined },
      };
    },
  };
}

const openSockets = new WeakMap<Server, Set<Socket>>();

/** Listen on an ephemeral loopback port; returns the port. Connections are tracked so closeServer can drop them. */
export function listenLoopback(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  openSockets.set(server, sockets);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Close a server and destroy every connection still open. A server socket nobody reads never sees the
 * client's FIN, so without this a test server that ignores its peer would keep close() waiting forever.
 */
export function closeServer(server: Server): Promise<void> {
  for (const s of openSockets.get(server) ?? []) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
