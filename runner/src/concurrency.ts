/**
 * How many jobs a runner runs at once, per tool and in all (docs/design.md, "Runners"; README, "Settings").
 * Defaults scale with the machine: a tool's `policy.weight` (functions/shared/tool/definition.ts) says how much of
 * it one job takes, so each tool is described in one place and the runner holds no table of tool names.
 * MCP_DEFAULT_CONCURRENCY (every tool) and MCP_CONCURRENCY_<TOOL> (one tool) override the defaults, within 1–64.
 */
import { availableParallelism } from 'node:os';
import type { ToolWeight } from '../../functions/shared/tool/definition';

/**
 * The largest per-tool limit and runner capacity. 64 is NETDIAG_RUNNER_CAPACITY's bound, which the API checks at
 * registration (a tool's limit above the runner's own slots could never be reached): each job is a sandboxed process
 * with its own rlimits and cgroup (MCP_MAX_MEMORY_MB), so the host's memory, not a fixed 5, is what bounds it.
 */
export const CONCURRENCY_MAX = 64;

/**
 * Jobs per core. A light job mostly waits (one ICMP echo, one DNS query, one handshake): on 2 cores, 8 at once keep
 * both busy with the sandbox's spawn work while others wait (`npm run bench throughput`). A heavy one (nmap, mtr)
 * sends many probes and may use much CPU and memory: one per core, as before on the design's 2-core baseline.
 */
export const JOBS_PER_CORE: Readonly<Record<ToolWeight, number>> = { light: 4, heavy: 1 };

const bounded = (n: number): number => Math.min(CONCURRENCY_MAX, Math.max(1, Math.floor(n)));

/** The cores this process may use (cgroup/affinity aware on Node ≥ 18.14). */
export const machineCores = (): number => availableParallelism();

/** A tool's default limit from its weight; a tool that states none (e.g. from TOOLS_PACKAGE) counts as heavy. */
export function defaultToolConcurrency(weight: ToolWeight | undefined, cores: number): number {
  return bounded((weight === 'light' ? JOBS_PER_CORE.light : JOBS_PER_CORE.heavy) * cores);
}

/** NETDIAG_RUNNER_CAPACITY's default: as many jobs as light tools may run, so one light tool can use every slot. */
export function defaultCapacity(cores: number): number {
  return bounded(JOBS_PER_CORE.light * cores);
}

export interface ConcurrencySettings {
  /** MCP_DEFAULT_CONCURRENCY, when set: every tool's limit instead of its weight's default. */
  defaultConcurrency: number | undefined;
  /** MCP_CONCURRENCY_<TOOL>, by tool name. */
  concurrency: Readonly<Record<string, number>>;
}

/** The limit for each tool: MCP_CONCURRENCY_<TOOL>, else MCP_DEFAULT_CONCURRENCY, else the weight's default. */
export function toolConcurrency(settings: ConcurrencySettings, weightOf: (tool: string) => ToolWeight | undefined, cores: number): (tool: string) => number {
  return (tool) => settings.concurrency[tool] ?? settings.defaultConcurrency ?? defaultToolConcurrency(weightOf(tool), cores);
}
