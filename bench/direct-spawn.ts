/**
 * The baseline of issue 12: the same binary with the same argv the runner builds (the tool's own executor), spawned
 * without any sandbox the way an in-process MCP server would: from a small Node process (not the bench's own, whose
 * size would slow its fork, see /work/shared/reference/perf-notes.md), timed inside that process from spawn() to
 * 'close'. Loopback targets only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { executors } from '../functions/tools/executors';
import type { ExecTarget, ToolSettings } from '../functions/shared/tool/executor';
import { SAFE_ENV } from '../runner/src/sandbox/spawn';

const SETTINGS: ToolSettings = { allowIntrusive: false, privileged: process.getuid?.() === 0, httpMaxRedirects: 0 };

/** The argv the runner's pipeline builds for `tool` with these parameters on an IPv4 literal. */
export function runnerArgv(tool: string, params: Record<string, unknown>): { file: string; args: string[] } {
  const executor = executors.get(tool);
  if (!executor || executor.kind !== 'binary' || !executor.definition.policy.binary) throw new Error(`${tool} is not a binary tool`);
  const p = executor.definition.params.parse(params) as Record<string, unknown>;
  const address = String(p[executor.definition.policy.targetField]);
  const target: ExecTarget = { target: address, address, family: 4, hostname: undefined };
  return { file: `/usr/bin/${executor.definition.policy.binary}`, args: executor.argv(p, target, SETTINGS) };
}

// Spawns like runner/src/sandbox/spawn.ts does (no shell, detached, fixed env, stdout and stderr read), answers the time.
const SPAWNER = `
const { spawn } = require('node:child_process');
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const { file, args, env } = JSON.parse(line);
  const t0 = performance.now();
  const p = spawn(file, args, { shell: false, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout.resume();
  p.stderr.resume();
  p.once('close', (code) => process.stdout.write(JSON.stringify({ ms: performance.now() - t0, code }) + '\\n'));
});`;

export interface DirectSpawner {
  run(cmd: { file: string; args: string[] }): Promise<number>;
  rssMb(): number;
  stop(): void;
}

/** A small Node process that spawns on request and reports how long each run took, spawn() to 'close'. */
export function startDirectSpawner(): DirectSpawner {
  const proc: ChildProcess = spawn(process.execPath, ['-e', SPAWNER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: Array<(ms: number) => void> = [];
  if (!proc.stdout || !proc.stdin) throw new Error('spawner has no pipes');
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as { ms: number; code: number };
    waiting.shift()?.(answer.code === 0 ? answer.ms : Number.NaN);
  });
  const stdin = proc.stdin;
  return {
    run: (cmd) =>
      new Promise<number>((resolve) => {
        waiting.push(resolve);
        stdin.write(`${JSON.stringify({ ...cmd, env: SAFE_ENV })}\n`);
      }),
    rssMb: () => {
      try {
        const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return Number.NaN;
      }
    },
    stop: () => proc.kill(),
  };
}
