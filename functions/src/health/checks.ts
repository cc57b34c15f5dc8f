import type { AppDeps } from '../deps';
import { type UnavailableOn, reasonsFor } from '../jobs/unavailable-reasons';
import { type CheckPriority, type CheckResult, type CheckStatus, type HealthCheck, INFORMATIONAL_PRIORITY } from '../../shared/health/health-check';

// One shape for built-in, operator and tool-package checks (defineHealthCheck), declared in the kernel.
export type { CheckPriority, CheckResult, CheckStatus, HealthCheck };

/** Process figures the entry supplies (the core has no process object). */
export interface SystemStats {
  rssBytes: number;
  heapUsedBytes: number;
  heapLimitBytes: number;
}

const ok = (message: string, details?: Record<string, unknown>): CheckResult =>
  details ? { status: 'healthy', message, details } : { status: 'healthy', message };

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
        const runners = await deps.jobs.runners();
        const advertised = new Set(runners.flatMap((r) => r.tools));
        const missing = deps.registry
          .enabledTools()
          .map((t) => t.name)
          .filter((n) => !advertised.has(n));
        if (missing.length === 0) return ok('Every enabled tool has a runner.');
        // What the runners said about each missing tool (e.g. dig: no lab DNS resolver configured), so the fix is here.
        const reasons: Record<string, UnavailableOn[]> = {};
        for (const n of missing) {
          const why = reasonsFor(n, runners);
          if (why.length > 0) reasons[n] = why;
        }
        const named = missing.map((n) => (reasons[n] ? `${n} (${reasons[n].map((w) => `${w.runnerId}: ${w.reason}`).join('; ')})` : n));
        return { status: 'degraded', message: `No runner offers: ${named.join(', ')}.`, details: { unavailable: missing, reasons } };
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
  // A shared broker (Redis): nothing works without it, so its state comes first and says why it is down.
  const broker = deps.broker;
  if (broker.kind !== 'memory') {
    checks.push({
      name: 'broker',
      priority: 1,
      async run() {
        const s = await broker.health();
        return s.ok ? ok(s.detail, { kind: broker.kind }) : { status: 'unhealthy', message: s.detail, details: { kind: broker.kind } };
      },
    });
  }
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

/** Run every check, most important first; the worst status of priorities 1–4 wins (5 is informational). */
export async function runHealth(checks: readonly HealthCheck[]): Promise<HealthReport> {
  const sorted = [...checks].sort((a, b) => a.priority - b.priority);
  const results = await Promise.all(
    sorted.map(async (c) => {
      const r = await c.run().catch((err: unknown): CheckResult => ({ status: 'unhealthy', message: `Check failed: ${String(err)}` }));
      return { name: c.name, priority: c.priority, ...r };
    }),
  );
  // Informational checks (priority 5) are shown but never fail /health; among the others the worst status wins.
  const counted = results.filter((r) => r.priority < INFORMATIONAL_PRIORITY);
  const status: CheckStatus = counted.some((r) => r.status === 'unhealthy')
    ? 'unhealthy'
    : counted.some((r) => r.status === 'degraded')
      ? 'degraded'
      : 'healthy';
  return { status, checks: results };
}

export const HTTP_BY_HEALTH: Record<CheckStatus, 200 | 207 | 503> = { healthy: 200, degraded: 207, unhealthy: 503 };
