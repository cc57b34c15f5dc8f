import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';

export interface Child {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawn with output captured (both streams), stopped with SIGTERM then SIGKILL. */
export function start(file: string, args: string[], env: Record<string, string>, cwd: string): Child {
  const proc = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return {
    proc,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Resolves when `find` matches the output, rejects when the process exits or `ms` pass. */
export function waitForOutput<T>(child: Child, find: (out: string) => T | undefined, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for output:\n${child.output()}`)), ms);
    const check = (): void => {
      const found = find(child.output());
      if (found !== undefined) done(undefined, found);
    };
    const exited = (): void => done(new Error(`exited early:\n${child.output()}`));
    function done(err?: Error, value?: T): void {
      clearTimeout(timer);
      child.proc.stdout?.off('data', check);
      child.proc.stderr?.off('data', check);
      child.proc.off('exit', exited);
      if (err) reject(err);
      else resolve(value as T);
    }
    child.proc.stdout?.on('data', check);
    child.proc.stderr?.on('data', check);
    child.proc.once('exit', exited);
    check();
  });
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port: number, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}
