import type { BatchObservableCallback, Observable } from '@opentelemetry/api';
import type { JobStore } from '../jobs/store';
import { BREAKER_VALUE, type BreakerBoard } from './breaker-board';
import { METRIC, apiInstruments } from './instruments';

export interface GaugeSources {
  jobs: JobStore;
  /** Every tool name, so idle tools report 0 rather than nothing. */
  tools: readonly string[];
  breakers: BreakerBoard;
}

/**
 * Gauges read from the job store at collection time (a scrape of /metrics): running and queued jobs per tool,
 * connected runners, and the breaker state per tool as the runners last reported it. Read, not counted, so they
 * cannot drift. Returns a function that stops observing.
 */
export function observeGauges(sources: GaugeSources): () => void {
  const { meter } = apiInstruments();
  const active = meter.createObservableGauge(METRIC.active, { description: 'Tool jobs running on a runner now.' });
  const queued = meter.createObservableGauge(METRIC.queued, { description: 'Tool jobs waiting for a runner.' });
  const runners = meter.createObservableGauge(METRIC.runners, {
    description: 'Runners connected (registered, parked in a claim or seen within a lease period).',
  });
  const breaker = meter.createObservableGauge(METRIC.breaker, {
    description: 'Circuit breaker per tool as reported by the runners: 0 closed, 1 open, 2 half-open (worst runner).',
  });
  const observables: Observable[] = [active, queued, runners, breaker];

  const callback: BatchObservableCallback = async (result) => {
    // By status, not every retained job: a shared store (Redis) reads only the running and queued ones.
    const [runningJobs, queuedJobs, connected] = await Promise.all([
      sources.jobs.list({ status: 'running' }),
      sources.jobs.list({ status: 'queued' }),
      sources.jobs.runners(),
    ]);
    const running = new Map(sources.tools.map((t) => [t, 0]));
    const waiting = new Map(sources.tools.map((t) => [t, 0]));
    for (const job of runningJobs) running.set(job.tool, (running.get(job.tool) ?? 0) + 1);
    for (const job of queuedJobs) waiting.set(job.tool, (waiting.get(job.tool) ?? 0) + 1);
    for (const [tool, n] of running) result.observe(active, n, { tool });
    for (const [tool, n] of waiting) result.observe(queued, n, { tool });
    result.observe(runners, connected.length);
    const states = sources.breakers.states(connected.map((r) => r.runnerId));
    for (const tool of new Set([...sources.tools, ...states.keys()])) result.observe(breaker, BREAKER_VALUE[states.get(tool) ?? 'CLOSED'], { tool });
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
