// A stand-in for the load balancer or Kubernetes Service in front of API replicas: a TCP proxy on 127.0.0.1 that
// sends each new connection to the first upstream port that accepts it. When a replica dies its connections break
// and the next ones go to a live replica, as with a Service whose endpoint has gone. Loopback only.
import { type Server, type Socket, connect, createServer } from 'node:net';

export interface FailoverProxy {
  url: string;
  close(): Promise<void>;
}

function dial(ports: readonly number[], i = 0): Promise<Socket | undefined> {
  const port = ports[i];
  if (port === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const upstream = connect({ host: '127.0.0.1', port });
    upstream.once('connect', () => resolve(upstream));
    upstream.once('error', () => {
      upstream.destroy();
      resolve(dial(ports, i + 1));
    });
  });
}

export async function startFailoverProxy(ports: readonly number[]): Promise<FailoverProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.pause();
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    void dial(ports).then((upstream) => {
      if (!upstream || client.destroyed) {
        upstream?.destroy();
        client.destroy();
        return;
      }
      sockets.add(upstream);
      upstream.once('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
