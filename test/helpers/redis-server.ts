// A real redis-server (Debian package, /usr/bin/redis-server) for broker tests: loopback only, its own tmp dir,
// persistence off unless asked, killed by stop(). Never binds to anything but 127.0.0.1 (/tmp/common.md network rule).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './processes';

export const REDIS_SERVER = process.env['REDIS_SERVER_BIN'] ?? '/usr/bin/redis-server';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** Stop the server (SIGTERM, then SIGKILL); the data dir stays until remove(). */
  stop(): Promise<void>;
  /** Start it again on the same port and dir (after stop()). */
  start(): Promise<void>;
  /** stop() and delete the data dir. */
  remove(): Promise<void>;
}

export interface RedisServerOptions {
  /** Append-only file in the tmp dir, so data survives a restart (tests about restarts). */
  persist?: boolean;
}

/** Servers still running: killed when the test process exits, so a test that timed out leaves no redis-server behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

function launch(port: number, dir: string, persist: boolean): Promise<ChildProcess> {
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', persist ? 'yes' : 'no', '--protected-mode', 'yes'];
  const proc = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`redis-server did not start:\n${out}`));
    }, 10_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        proc.stdout?.resume();
        resolve(proc);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)}:\n${out}`));
    });
  });
}

function halt(proc: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
  });
}

/** Start redis-server on a free loopback port in a fresh tmp dir. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'netdiag-redis-'));
  const persist = options.persist ?? false;
  let port = 0;
  let proc: ChildProcess | undefined;
  for (let attempt = 0; proc === undefined; attempt += 1) {
    port = await closedPort();
    try {
      proc = await launch(port, dir, persist);
    } catch (err) {
      if (attempt >= 2) throw err; // the port was taken between closedPort() and the bind: try another
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: async () => {
      await halt(proc);
      proc = undefined;
    },
    start: async () => {
      proc ??= await launch(port, dir, persist);
    },
    remove: async () => {
      await halt(proc);
      proc = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A prefix no other test uses, so suites sharing one server never see each other's keys. */
let prefixes = 0;
export const uniquePrefix = (name: string): string => `t${process.pid}-${++prefixes}-${name}:`;
