import type { AppDeps } from '../deps';

export type CheckStatus = 'healthy' | 'degraded' | 'unhealthy';

/** The original design's priorities: 1 CRITICAL (system), 2 HIGH, 3 MEDIUM, 4 LOW, 5 INFORMATIONAL. */
export type CheckPriority = 1 | 2 | 3 | 4 | 5;

export interface CheckResult {
  status: CheckStatus;
  message: string;
  details?: Record<string, unknown>;
}

export interface HealthCheck {
  name: string;
  priority: CheckPriority;
  run(): Promise<CheckResult>;
}

/** Process figures the entry supplies (the core has no process object). */
export interface SystemStats {
  rssBytes: number;
  heapUsedBytes: number;
  heapLimitBytes: number;
}

const ok = (message: string, details?: Record<string, unknown>): CheckResult => (details ? { status: 'healthy', message, details } : { status: 'healthy', message });

/** The built-in checks; operators add their own through deps.healthChecks. */
export function builtinChecks(deps: AppDeps): HealthCheck[] {
  const checks: HealthCheck[] = [
    {
      name: 'runners',
      priority: 2,
      async run() {
        const runners = await deps.jobs.runners();
        if (runners.length === 0) return { status: 'unhealthy', message: 'No runner is connected: no tool can run.' };
        // What each runner announced (version, privileged, capacity; registered false for runners known only from claims).
        const described = runners.map(({ runnerId, lastSeen, ...announced }) => ({ id: runnerId, ...announced, lastSeen: new Date(lastSeen).toISOString() }));
        return ok(`${runners.length} runner(s) connected.`, { runners: described });
      },
    },
    {
      name: 'tools',
      priority: 3,
      async run() {
        const advertised = new Set((await deps.jobs.runners()).flatMap((r) => r.tools));
        const missing = deps.registry.enabledTools().map((t) => t.name).filter((n) => !advertised.has(n));
        if (missing.length > 0) return { status: 'degraded', message: `No runner offers: ${missing.join(', ')}.`, details: { unavailable: missing } };
        return ok('Every enabled tool has a runner.');
      },
    },
    {
      name: 'queue',
      priority: 2,
      async run() {
        const queued = (await deps.jobs.list({ status: 'queued' })).length;
        const max = deps.settings.maxQueuedJobs;
        const details = { queued, max };
        if (queued >= max) return { status: 'unhealthy', message: 'The job queue is full.', details };
        if (queued >= max * 0.8) return { status: 'degraded', message: 'The job queue is over 80% full.', details };
        return ok(`${queued} job(s) waiting.`, details);
      },
    },
  ];
  checks.push({
    name: 'breakers',
    priority: 5,
    async run() {
      const runners = await deps.jobs.runners();
      const states = deps.telemetry.breakers.states(runners.map((r) => r.runnerId));
      const open = [...states].filter(([, s]) => s !== 'CLOSED').map(([tool, s]) => `${tool} ${s}`);
      if (open.length > 0) return { status: 'degraded', message: `Circuit breakers not closed: ${open.join(', ')}.`, details: Object.fromEntries(states) };
      return ok('Every reported circuit breaker is closed.', Object.fromEntries(states));
    },
  });
  const stats = deps.systemStats;
  if (stats) {
    checks.push({
      name: 'memory',
      priority: 1,
      async run() {
        const s = stats();
        const ratio = s.heapUsedBytes / s.heapLimitBytes;
        const details = { rssBytes: s.rssBytes, heapUsedBytes: s.heapUsedBytes, heapLimitBytes: s.heapLimitBytes };
        if (ratio > 0.95) return { status: 'unhealthy', message: 'Heap almost exhausted.', details };
        if (ratio > 0.8) return { status: 'degraded', message: 'Heap over 80% used.', details };
        return ok(`Heap ${(ratio * 100).toFixed(0)}% used.`, details);
      },
    });
  }
  return checks;
}

export interface HealthReport {
  status: CheckStatus;
  checks: Array<CheckResult & { name: string; priority: CheckPriority }>;
}

/** Run every check, most important first; the worst status wins. */
export async function runHealth(checks: readonly HealthCheck[]): Promise<HealthReport> {
  const sorted = [...checks].sort((a, b) => a.priority - b.priority);
  const results = await Promise.all(
    sorted.map(async (c) => {
      const r = await c.run().catch((err: unknown): CheckResult => ({ status: 'unhealthy', message: `Check failed: ${String(err)}` }));
      return { name: c.name, priority: c.priority, ...r };
    }),
  );
  const status: CheckStatus = results.some((r) => r.status === 'unhealthy') ? 'unhealthy' : results.some((r) => r.status === 'degraded') ? 'degraded' : 'healthy';
  return { status, checks: results };
}

export const HTTP_BY_HEALTH: Record<CheckStatus, 200 | 207 | 503> = { healthy: 200, degraded: 207, unhealthy: 503 };
