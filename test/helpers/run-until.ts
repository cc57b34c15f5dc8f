import { spawn } from 'node:child_process';
import { ROOT } from './processes';

/**
 * Run a dist/ entry until it exits or `until` appears in its stderr (then it is killed); resolves with what it
 * wrote and its exit code. For start-up refusals and first log lines, where startRunner's wait for tools is moot.
 */
export function runUntil(script: 'runner.mjs' | 'api.mjs', env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [`${ROOT}dist/${script}`], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (until?.test(stderr)) proc.kill('SIGKILL');
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
