/**
 * The ONLY place the runner starts processes. No shell, an absolute path, a fixed environment, its own process
 * group, a deadline that kills the whole group, output capped while it streams. With `confine`, the command is
 * wrapped (see wrapper.ts) so rlimits apply, the job dies with the runner and, where the host allows, lives in
 * its own PID namespace so nothing it starts survives it. In helper mode the resident spawn server forks it instead of
 * the runner (spawn-server.ts; docs/design.md, "The resident spawn server"): the same argv, environment and kill rules.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { CappedBuffer } from './capped-buffer';
import { createJobCgroup, removeJobCgroup } from './cgroup';
import { JobKiller } from './job-killer';
import { immediately } from '../post-job-work';
import type { SpawnResult } from '../../../functions/shared/tool/executor';
import { SAFE_ENV } from './safe-env';
import type { JobChild } from './served-job';
import { type SpawnServer, spawnServerFor } from './spawn-server';
import type { SpawnRequest } from './spawn-request';
import { takeWarm, warmAhead, warmProfile } from './warm-pool';
import { type Command, wrapCommand } from './wrapper';

export type { SpawnRequest, SpawnResult };
export { SAFE_ENV };

/**
 * After the leader exits, how long stdout/stderr may stay open. Only a process that escaped the group
 * (setsid, in process-group mode) can hold them longer; we stop waiting for it instead of hanging.
 */
const PIPE_LINGER_MS = 200;

function startFailure(req: SpawnRequest, started: number, message: string): SpawnResult {
  return {
    stdout: '',
    stderr: '',
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: performance.now() - started,
    spawnError: message,
    sandboxMode: req.confine?.sandbox.mode,
  };
}

export function runSandboxed(req: SpawnRequest): Promise<SpawnResult> {
  // Helper mode: through the resident spawn server, so the runner itself never forks (spawn-server.ts), unless it is off.
  const helper = req.confine?.sandbox.mode === 'helper' ? req.confine.sandbox.paths.helper : undefined;
  const server = helper === undefined ? undefined : spawnServerFor(helper);
  return server instanceof Promise ? server.then((s) => runJob(req, s)) : runJob(req, server);
}

/** What a job started cold runs: the helper's argv around the binary when confined, else the binary itself. */
function coldCommand(req: SpawnRequest, cgroups: string[] | undefined, parentPid: number | undefined): Command {
  if (!req.confine) return { file: req.file, args: [...req.args] };
  const { sandbox, limits, netRaw, execs } = req.confine;
  // parentPid: the parent the helper checks is still there: the server that forks it, or (undefined) the runner.
  return wrapCommand(sandbox, limits, { file: req.file, args: [...req.args], netRaw, cgroups, execs }, parentPid);
}

function runJob(req: SpawnRequest, server: SpawnServer | undefined): Promise<SpawnResult> {
  const started = performance.now();
  let child: JobChild;
  let cgroups: string[] | undefined;
  // A job process of exactly this profile prepared ahead (warm-pool.ts) needs only the arguments; else it starts cold.
  const profile = server ? warmProfile(req, server) : undefined;
  const warm = server && profile !== undefined ? takeWarm(server, profile, req.args) : undefined;
  try {
    const layout = req.confine?.sandbox.hardening?.cgroup;
    // Its own cgroup per job (cgroup.ts), removed in finish(); a job that cannot get one does not run. A warm one has its own.
    if (warm) cgroups = warm.cgroups;
    else if (layout && req.confine) cgroups = createJobCgroup(layout, { maxProcesses: req.confine.maxProcesses ?? 64, memoryMb: req.confine.limits.memoryMb });
    if (warm) {
      // Its helper already runs with exactly this job's argv but the arguments (warm-pool.ts, its profile): nothing to build.
      req.onStage?.('spawn');
      child = warm.job;
    } else {
      const command = coldCommand(req, cgroups, server?.pid);
      req.onStage?.('spawn');
      // With the server, 'spawned' means "request written": the fork happens there, off our event loop.
      child = server
        ? server.spawn(command.args)
        : spawn(command.file, command.args, { shell: false, detached: true, env: SAFE_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    }
    req.onStage?.('spawned');
  } catch (e) {
    // Bad limits, a relative path, an argument with a NUL byte or no cgroup: refused before anything runs.
    if (cgroups) removeJobCgroup(cgroups);
    return Promise.resolve(startFailure(req, started, e instanceof Error ? e.message : String(e)));
  }
  const out = new CappedBuffer(req.maxStdoutBytes);
  const err = new CappedBuffer(req.maxStderrBytes);
  const decoder = new StringDecoder('utf8');
  let timedOut = false;
  let cancelled = false;
  let killedAtOutputCap = false;

  // Kills the job, never the wrapper that must reap it (job-killer.ts): nothing is left a zombie.
  const killer = new JobKiller(child, req.confine?.sandbox);
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const terminate = (): void => {
    // In a PID namespace the job is its namespace's init: the kernel drops a SIGTERM it has no handler
    // for, so for such tools the kill after the grace is what ends them.
    killer.signalGroup('SIGTERM');
    graceTimer ??= setTimeout(() => killer.kill(), req.killGraceMs ?? 500);
  };
  const deadline = setTimeout(() => {
    timedOut = true;
    terminate();
  }, req.timeoutMs);
  const onAbort = (): void => {
    // A cancel is a person (or model) saying stop: no grace, the partial output read so far is still parsed.
    cancelled = true;
    killer.kill();
  };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  if (req.signal?.aborted) onAbort();

  child.stdout?.on('data', (chunk: Buffer) => {
    const kept = out.push(chunk);
    if (kept.length > 0 && req.onStdout) {
      const text = decoder.write(kept);
      if (text.length > 0) req.onStdout(text);
    }
    if (out.full && out.truncated && !killedAtOutputCap && (req.stdoutCapAction ?? 'kill') === 'kill') {
      killedAtOutputCap = true;
      killer.kill();
    }
  });
  // stderr past its cap is drained and dropped: noisy warnings must not cost the job its stdout result.
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));

  return new Promise<SpawnResult>((resolve) => {
    let spawnError: string | undefined;
    let done = false;
    let lingerTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(lingerTimer);
      if (graceTimer) clearTimeout(graceTimer);
      req.signal?.removeEventListener('abort', onAbort);
      killer.dispose();
      killer.signalGroup('SIGKILL');
      // After the answer, not before it: removing the job's cgroup directories is clean-up nobody waits for (two rmdir
      // on cgroupfs; a runner killed meanwhile leaves them to the next one's sweep, cgroup.ts). The runner holds it, and
      // the next warm process, until the job's report is acknowledged (req.later; runner/src/post-job-work.ts).
      const later = req.later ?? immediately;
      const dirs = cgroups;
      if (dirs) later(() => removeJobCgroup(dirs));
      // The next job of this profile prepared ahead, after this one's answer: its hardening never competes with this job.
      if (server && profile !== undefined) warmAhead(server, profile, req, later);
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
        killedAtOutputCap,
        stdoutBytesSeen: out.seen,
        sandboxMode: req.confine?.sandbox.mode ?? 'process-group',
      });
    };
    child.once('error', (e) => {
      spawnError = e.message;
      finish(null, null);
    });
    child.once('exit', (code, signal) => {
      req.onStage?.('exited');
      // Whatever the leader left behind in its group goes now: a member holding the pipes would keep
      // 'close' from ever firing. One that escaped the group gets a short linger, then we stop reading.
      // (With a wrapper that reaps, the job and its namespace were already gone when the wrapper exited.)
      killer.dispose();
      killer.signalGroup('SIGKILL');
      // Armed after this turn, and only when 'close' did not come with the exit: a served job's output has usually ended
      // by the time its status comes (native/early-status.h), so its 'close' follows at once and the timer would be
      // made only to be cleared (issue 12).
      process.nextTick(() => {
        if (done) return;
        lingerTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish(code, signal);
        }, PIPE_LINGER_MS);
      });
    });
    child.once('close', (code, signal) => finish(code, signal));
  });
}
