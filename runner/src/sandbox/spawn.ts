/**
 * The ONLY place the runner starts processes. No shell, an absolute path, a fixed environment, its own process
 * group, a deadline that kills the whole group, output capped while it streams.
 */
import { spawn } from 'node:child_process';

export const SAFE_ENV: Readonly<Record<string, string>> = Object.freeze({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' });

export interface SpawnRequest {
  file: string;
  args: readonly string[];
  timeoutMs: number;
  maxStdoutBytes: number;
  maxStderrBytes: number;
  /** Aborting kills the process group (cancellation). */
  signal?: AbortSignal | undefined;
  /** Called with each stdout chunk as it arrives (progress parsing). */
  onStdout?: ((chunk: string) => void) | undefined;
  /** Grace between SIGTERM and SIGKILL. */
  killGraceMs?: number | undefined;
}

export interface SpawnResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: string | undefined;
}

class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): Buffer {
    const room = this.cap - this.size;
    if (room <= 0) {
      this.truncated = true;
      return chunk.subarray(0, 0);
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
    return kept;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function runSandboxed(req: SpawnRequest): Promise<SpawnResult> {
  const started = performance.now();
  const out = new CappedBuffer(req.maxStdoutBytes);
  const err = new CappedBuffer(req.maxStderrBytes);
  let timedOut = false;
  let cancelled = false;
  const child = spawn(req.file, req.args, { shell: false, detached: true, env: SAFE_ENV, stdio: ['ignore', 'pipe', 'pipe'] });

  const killGroup = (sig: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // group already gone
    }
  };
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const terminate = (): void => {
    killGroup('SIGTERM');
    graceTimer ??= setTimeout(() => killGroup('SIGKILL'), req.killGraceMs ?? 500);
  };
  const deadline = setTimeout(() => {
    timedOut = true;
    terminate();
  }, req.timeoutMs);
  const onAbort = (): void => {
    cancelled = true;
    terminate();
  };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  if (req.signal?.aborted) onAbort();

  child.stdout.on('data', (chunk: Buffer) => {
    const kept = out.push(chunk);
    if (kept.length > 0) req.onStdout?.(kept.toString('utf8'));
  });
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));

  return new Promise<SpawnResult>((resolve) => {
    let spawnError: string | undefined;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(deadline);
      req.signal?.removeEventListener('abort', onAbort);
      // Whatever the leader left behind in its group goes too (a grandchild holding the pipes open).
      killGroup('SIGKILL');
      if (graceTimer) clearTimeout(graceTimer);
      resolve({
        stdout: out.text(),
        stderr: err.text(),
        exitCode,
        signal,
        timedOut,
        cancelled,
        stdoutTruncated: out.truncated,
        stderrTruncated: err.truncated,
        durationMs: performance.now() - started,
        spawnError,
      });
    };
    child.once('error', (e) => {
      spawnError = e.message;
      finish(null, null);
    });
    child.once('close', (code, signal) => finish(code, signal));
  });
}
