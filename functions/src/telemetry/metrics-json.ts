import { z } from '@hono/zod-openapi';
import { METRIC } from './instruments';
import type { MetricSample, MetricsScrape, SystemFigures } from '../../shared/telemetry/metrics-source';

const BREAKER_NAMES = ['closed', 'open', 'half_open'] as const;

const ToolFiguresSchema = z.object({
  executions: z.number().int().describe('Calls counted so far (jobs that ended plus calls refused before a job).'),
  successes: z.number().int(),
  failures: z.number().int(),
  timeouts: z.number().int(),
  avg_duration: z.number().describe('Mean runner-measured execution time in seconds; 0 before any job ran.'),
  active: z.number().int().describe('Jobs running now.'),
  queued: z.number().int().describe('Jobs waiting for a runner.'),
  circuit_breaker: z.enum(BREAKER_NAMES).describe('As the runners report it (worst runner).'),
});

export const MetricsJsonSchema = z
  .object({
    timestamp: z.string().describe('ISO 8601'),
    system: z.object({
      cpu: z.object({ percent: z.number(), userSeconds: z.number(), systemSeconds: z.number(), cores: z.number().int() }),
      memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number(), heapTotalBytes: z.number(), totalBytes: z.number(), freeBytes: z.number() }),
    }),
    tools: z.record(z.string(), ToolFiguresSchema),
    runners: z.object({ connected: z.number().int() }),
  })
  .meta({ id: 'MetricsJson' });

export type MetricsJson = z.infer<typeof MetricsJsonSchema>;
type ToolFigures = z.infer<typeof ToolFiguresSchema>;

const blank = (): ToolFigures => ({ executions: 0, successes: 0, failures: 0, timeouts: 0, avg_duration: 0, active: 0, queued: 0, circuit_breaker: 'closed' });

/** The JSON form (docs/design.md, "Observability"), computed from the very samples the Prometheus text was written from. */
export function metricsJson(scrape: MetricsScrape, system: SystemFigures, now: Date = new Date()): MetricsJson {
  const tools: Record<string, ToolFigures> = {};
  const durations = new Map<string, { sum: number; count: number }>();
  const toolOf = (s: MetricSample): ToolFigures | undefined => {
    const tool = s.labels['tool'];
    if (tool === undefined) return undefined;
    tools[tool] ??= blank();
    return tools[tool];
  };
  let connected = 0;
  for (const s of scrape.samples) {
    if (s.name === METRIC.runners) connected = s.value;
    const t = toolOf(s);
    if (!t) continue;
    const tool = s.labels['tool'] ?? '';
    switch (s.name) {
      case METRIC.executions:
        t.executions += s.value;
        if (s.labels['status'] === 'success') t.successes += s.value;
        else t.failures += s.value;
        break;
      case METRIC.timeouts:
        t.timeouts += s.value;
        break;
      case METRIC.active:
        t.active = s.value;
        break;
      case METRIC.queued:
        t.queued = s.value;
        break;
      case METRIC.breaker:
        t.circuit_breaker = BREAKER_NAMES[s.value] ?? 'closed';
        break;
      case `${METRIC.duration}_sum`:
      case `${METRIC.duration}_count`: {
        const d = durations.get(tool) ?? { sum: 0, count: 0 };
        if (s.name.endsWith('_sum')) d.sum += s.value;
        else d.count += s.value;
        durations.set(tool, d);
        break;
      }
      default:
    }
  }
  for (const [tool, d] of durations) {
    const t = tools[tool];
    if (t && d.count > 0) t.avg_duration = d.sum / d.count;
  }
  return { timestamp: now.toISOString(), system, tools, runners: { connected } };
}
