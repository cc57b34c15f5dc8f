import type { AppDeps } from '../deps';
import { BreakerBoard } from './breaker-board';
import { observeGauges } from './gauges';
import { recordJobMetrics } from './job-metrics';
import { JobTraces } from './job-traces';
import { zeroSeries } from './zero-series';

/** Per-app telemetry state, built by createDeps: job spans in flight and the breaker states runners report. */
export interface ApiTelemetry {
  jobs: JobTraces;
  breakers: BreakerBoard;
}

export function createApiTelemetry(): ApiTelemetry {
  return { jobs: new JobTraces(), breakers: new BreakerBoard() };
}

/**
 * Follow the job store for spans, execution metrics and gauges, every counter series at 0 from the start. Call
 * from createApp, after the entry has started its SDK (a meter taken earlier stays a no-op). Returns a function
 * that stops following.
 */
export function observeTelemetry(deps: Pick<AppDeps, 'jobs' | 'registry' | 'telemetry'>): () => void {
  const offTraces = deps.telemetry.jobs.observe(deps.jobs);
  const offMetrics = recordJobMetrics(deps.jobs);
  const tools = deps.registry.all.map((d) => d.name);
  zeroSeries(tools);
  const offGauges = observeGauges({ jobs: deps.jobs, tools, breakers: deps.telemetry.breakers });
  return () => {
    offTraces();
    offMetrics();
    offGauges();
  };
}
