/**
 * One job started through the spawn server (spawn-server.ts), shaped like the parts of a ChildProcess that spawn.ts
 * and job-killer.ts use: pid, exitCode/signalCode, stdout/stderr 'data', kill(), and 'error' / 'exit' / 'close'.
 * Signals go through the server by job id, which drops them once it has reaped the job (never a reused pid).
 */
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';

/** The parts of a job's output stream spawn.ts reads. */
export interface JobStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  destroy(): unknown;
}

/** What spawn.ts needs of a started job: a Node ChildProcess, or a ServedJob. */
export interface JobChild {
  readonly pid?: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  readonly stdout: JobStream | null;
  readonly stderr: JobStream | null;
  kill(signal: NodeJS.Signals): boolean;
  /** Present when someone else reaps the job (the spawn server): a group signal then has to go through it. */
  signalGroup?: ((signal: NodeJS.Signals) => void) | undefined;
  once(event: 'error', listener: (e: Error) => void): unknown;
  once(event: 'exit' | 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

class ServedStream extends EventEmitter implements JobStream {
  ended = false;
  destroyed = false;
  destroy(): this {
    this.destroyed = true;
    this.removeAllListeners('data');
    return this;
  }
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** How the server sends a signal on the job's behalf (group: to its process group). */
export type SendSignal = (group: boolean, signal: number) => void;

export class ServedJob extends EventEmitter implements JobChild {
  pid: number | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly stdout = new ServedStream();
  readonly stderr = new ServedStream();
  private ended = false;
  private statusTold = false;

  constructor(
    readonly id: number,
    private readonly send: SendSignal,
  ) {
    super();
  }

  kill(signal: NodeJS.Signals): boolean {
    if (this.ended) return false;
    this.send(false, constants.signals[signal]);
    return true;
  }

  readonly signalGroup = (signal: NodeJS.Signals): void => {
    if (!this.ended) this.send(true, constants.signals[signal]);
  };

  /** Its status told and both streams at their end: the server will say nothing more about it. */
  get settled(): boolean {
    return this.statusTold && this.stdout.ended && this.stderr.ended;
  }

  /** The server answered the spawn request. */
  spawned(pid: number): void {
    this.pid = pid;
  }

  output(stream: 'stdout' | 'stderr', bytes: Buffer): void {
    const s = this[stream];
    if (!s.destroyed) s.emit('data', bytes);
  }

  end(stream: 'stdout' | 'stderr'): void {
    this[stream].ended = true;
    this.maybeClose();
  }

  /**
   * The job's wait status (raw, as waitpid(2) gives it), told once: by the job's first process before that one exits
   * (native/early-status.h), or by the server when it reaped that process.
   */
  exited(status: number): void {
    if (this.ended) return;
    const sig = status & 0x7f;
    if (sig === 0) this.exitCode = (status >> 8) & 0xff;
    else this.signalCode = SIGNAL_NAMES.get(sig) ?? 'SIGKILL';
    this.ended = true;
    this.statusTold = true;
    this.emit('exit', this.exitCode, this.signalCode);
    this.maybeClose();
  }

  /** It never started, or the server died under it (which kills its jobs: parent-death signal): an 'error', as spawn() gives. */
  failed(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('error', error);
  }

  private maybeClose(): void {
    if (this.settled) {
      this.emit('close', this.exitCode, this.signalCode);
    }
  }
}
