/**
 * The resident spawn server (docs/design.md, "The resident spawn server"): `netdiag-sandbox --serve`, started
 * once per runner in helper mode, forks each job on request (runner/src/sandbox/native/serve.h), so the ~80 MB runner
 * never forks per job (spawn() blocked its event loop ~6 ms copying page tables). Jobs come back as ServedJob handles.
 *
 * Started on first use (main.ts starts it at start-up and logs which spawner is active); a server that dies takes its
 * jobs with it (parent-death signal), they end with a spawnError, and the next job starts a new one. A server that
 * never got ready (cannot be executed, wrong binary) is not tried again: jobs use Node's spawn(), as before.
 * NETDIAG_SPAWN_SERVER=false turns it off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Socket } from 'node:net';
import { SAFE_ENV } from './safe-env';
import { ServedJob } from './served-job';
import { encodeArgs, encodeKill, encodeSpawn, encodeWarm, FrameDecoder, type ServerEvent } from './spawn-frames';

/** A server silent this long after being asked to start or to kill is taken for hung and SIGKILLed (its jobs die with it). */
const UNRESPONSIVE_MS = 5000;
const ERRNO_NAMES = new Map<number, string>(Object.entries(constants.errno).map(([name, n]) => [n, name]));

export class SpawnServer {
  readonly pid: number | undefined;
  state: 'starting' | 'ready' | 'dead' = 'starting';
  /** Settles once: true when the server is serving, false when it died before that. */
  readonly ready: Promise<boolean>;
  private readonly child: ChildProcess;
  private readonly jobs = new Map<number, ServedJob>();
  /** Warm jobs still waiting for their arguments (warm-pool.ts): they alone never keep the runner's event loop alive. */
  private readonly waiting = new Set<number>();
  private readonly decoder = new FrameDecoder();
  private nextId = 1;
  private settle: (ok: boolean) => void = () => undefined;
  /** When the oldest request still waiting for any word from the server was sent (the start, or a SIGKILL/SIGUSR1). */
  private waitingSince: number | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly helper: string) {
    this.ready = new Promise((resolve) => (this.settle = resolve));
    // Its environment is exactly SAFE_ENV, and so is every job's (the server passes its own on; serve.h). Its own session,
    // as each job had with spawn(): a Ctrl-C to the runner's terminal must not kill the jobs the runner lets finish.
    const argv = ['--serve', '--ppid', String(process.pid)];
    this.child = spawn(helper, argv, { shell: false, detached: true, env: SAFE_ENV, stdio: ['pipe', 'pipe', 'inherit'] });
    this.pid = this.child.pid;
    this.child.once('error', (e) => this.died(e.message));
    this.child.once('exit', (code, signal) => this.died(`exited with ${signal ?? `code ${String(code)}`}`));
    this.child.stdin?.on('error', () => undefined); // EPIPE when it is gone: 'exit' reports that
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.waitingSince = undefined;
      try {
        this.decoder.push(chunk, (e) => this.dispatch(e));
      } catch (e) {
        this.child.kill('SIGKILL'); // the two ends disagree on the format: start afresh
        this.died(e instanceof Error ? e.message : String(e));
      }
    });
    // A resident helper process must not keep the runner (or a test process) alive on its own: only while it starts or has jobs.
    this.child.unref();
    (this.child.stdin as Socket | null)?.unref();
    this.expectAnswer();
  }

  /** A kill that never gets answered would hold the job's slot for ever: a server that says nothing at all is ended. */
  private expectAnswer(delayMs = UNRESPONSIVE_MS): void {
    this.waitingSince ??= performance.now();
    this.watchdog ??= setTimeout(() => {
      this.watchdog = undefined;
      if (this.state === 'dead' || this.waitingSince === undefined) return;
      const left = UNRESPONSIVE_MS - (performance.now() - this.waitingSince);
      if (left > 10) return this.expectAnswer(left); // it answered, and was asked again since
      this.child.kill('SIGKILL');
      this.died(`no answer within ${UNRESPONSIVE_MS} ms`);
    }, delayMs).unref();
  }

  private holdLoop(): void {
    const out = this.child.stdout as Socket | null;
    if (this.state === 'starting' || this.jobs.size > this.waiting.size) out?.ref();
    else out?.unref();
  }

  /** Start a job: `args` is what the one-shot helper would get after its own path, with --ppid this server's pid. */
  spawn(args: readonly string[], warm = false): ServedJob {
    const id = this.nextId++;
    const payload = warm ? encodeWarm(id, args) : encodeSpawn(id, args); // throws on a NUL byte, before anything is sent
    const job = new ServedJob(id, (group, signal) => {
      this.child.stdin?.write(encodeKill(id, group, signal));
      if (signal !== constants.signals.SIGTERM) this.expectAnswer(); // a SIGTERM may be ignored: the kill follows
    });
    if (this.state === 'dead') {
      process.nextTick(() => job.failed(new Error('spawn server is gone')));
      return job;
    }
    this.jobs.set(id, job);
    if (warm) this.waiting.add(id);
    this.child.stdin?.write(payload);
    this.holdLoop();
    return job;
  }

  /** A warm job prepared with spawn(helperArgsEndingAtTheBinary, true) runs now with `args` after its binary. */
  giveArgs(job: ServedJob, args: readonly string[]): void {
    const payload = encodeArgs(job.id, args); // throws on a NUL byte, before anything is sent
    if (!this.waiting.delete(job.id) || this.state === 'dead') {
      process.nextTick(() => job.failed(new Error('warm job is gone')));
      return;
    }
    this.child.stdin?.write(payload);
    this.holdLoop();
  }

  /** Stop it (tests): EOF on its stdin makes it kill its jobs' groups and exit. */
  stop(): void {
    this.child.stdin?.end();
  }

  private dispatch(e: ServerEvent): void {
    if (e.type === 'ready') {
      this.state = 'ready';
      this.holdLoop();
      return this.settle(true);
    }
    const job = this.jobs.get(e.id);
    if (job === undefined) return;
    if (e.type === 'spawned') job.spawned(e.pid);
    else if (e.type === 'output') job.output(e.stream, e.bytes);
    else if (e.type === 'end') job.end(e.stream);
    else if (e.type === 'exit') job.exited(e.status);
    else {
      this.jobs.delete(e.id);
      this.waiting.delete(e.id);
      job.failed(new Error(`spawn ${this.helper}: ${ERRNO_NAMES.get(e.errno) ?? `errno ${e.errno}`}`));
    }
    if (job.settled) this.jobs.delete(e.id);
    if (job.settled) this.waiting.delete(e.id);
    if (this.jobs.size === 0) this.holdLoop();
  }

  private died(why: string): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.settle(false);
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    this.waiting.clear();
    // Its jobs died with it (each job's first process has PR_SET_PDEATHSIG on the server; serve.h).
    for (const job of jobs) job.failed(new Error(`spawn server died (${why}); the job was killed with it`));
  }
}

let enabled = true;
const servers = new Map<string, SpawnServer>();
const neverReady = new Set<string>();

/** NETDIAG_SPAWN_SERVER (runner config): false means Node's spawn() for every job. */
export function setSpawnServerEnabled(on: boolean): void {
  enabled = on;
}

/**
 * The server for `helper`, started or restarted when needed; a promise only while one is starting; undefined when
 * jobs should use Node's spawn() (turned off, or it could not start).
 */
export function spawnServerFor(helper: string): SpawnServer | undefined | Promise<SpawnServer | undefined> {
  if (!enabled || neverReady.has(helper)) return undefined;
  let server = servers.get(helper);
  if (server === undefined || server.state === 'dead') {
    server = new SpawnServer(helper);
    servers.set(helper, server);
  }
  if (server.state === 'ready') return server;
  const starting = server;
  return starting.ready.then((ok) => {
    if (ok) return starting;
    neverReady.add(helper);
    return undefined;
  });
}

/** At runner start-up: which spawner jobs in helper mode will use (for the start-up log). */
export async function startSpawnServer(helper: string): Promise<'spawn-server' | 'node-spawn'> {
  return (await spawnServerFor(helper)) === undefined ? 'node-spawn' : 'spawn-server';
}

/** Tests: stop every server this process started. */
export function stopSpawnServers(): void {
  for (const s of servers.values()) s.stop();
  servers.clear();
}
