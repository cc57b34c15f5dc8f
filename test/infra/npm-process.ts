/** `npm run <script>` as a real process group with only the given environment (plus PATH), as an image would run it. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { ROOT } from './infra-files';

export interface NpmProcess {
  proc: ChildProcess;
  logs(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const baseEnv = (): Record<string, string> => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' });

function groupAlive(pgid: number | undefined): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function npmRun(script: string, env: Record<string, string>): NpmProcess {
  // detached: its own process group, so npm, its shell and node are stopped together.
  const proc = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      if (proc.pid !== undefined) process.kill(-proc.pid, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    proc,
    logs: () => out,
    exited,
    // npm may exit before the node process it started: wait for the whole group, SIGKILL whatever is left after 5 s.
    stop: async () => {
      signal('SIGTERM');
      const killAt = Date.now() + 5000;
      while (groupAlive(proc.pid)) {
        if (Date.now() > killAt) signal('SIGKILL');
        await new Promise((r) => setTimeout(r, 50));
      }
      await exited;
    },
  };
}

/** Run to completion (a start that must fail): exit status and everything written. */
export function npmRunSync(script: string, env: Record<string, string>): { status: number | null; output: string } {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, env: { ...baseEnv(), ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The port the API announces in its "listening" line (MCP_SERVER_PORT=0). */
export async function listeningPort(p: NpmProcess): Promise<number> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const m = /"msg":"listening"/.test(p.logs()) ? /"port":(\d+)/.exec(p.logs()) : null;
    if (m) return Number(m[1]);
    if (p.proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the API did not start:\n${p.logs()}`);
}
