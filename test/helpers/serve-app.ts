import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';

export interface ServedApp {
  server: ServerType;
  url: string;
  close(): Promise<void>;
}

/** Serve an app's fetch with @hono/node-server on 127.0.0.1 and a free port, as the Node entry does. */
export async function serveOnLoopback(fetch: Parameters<typeof serve>[0]['fetch']): Promise<ServedApp> {
  let server: ServerType | undefined;
  await new Promise<void>((resolve) => {
    server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  const served = server as ServerType;
  return {
    server: served,
    url: `http://127.0.0.1:${(served.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => served.close(() => resolve())),
  };
}
