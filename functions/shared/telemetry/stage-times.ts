/**
 * Per-job timestamps across processes, for `npm run bench`'s per-stage breakdown of one call (issue 12): the API and
 * the runner each mark the stages a job passes through, and a sink installed at start-up only when
 * NETDIAG_STAGE_TIMES=true writes them out (functions/shared/node/stage-times-writer.ts). Off, which is the default,
 * a mark is one check of an unset variable: nothing is timed, kept or written.
 */
import { epochClock } from './epoch-clock';

export type StageSink = (jobId: string, stage: string, at: number) => void;

let sink: StageSink | undefined;

/** Install (or with undefined remove) the process's sink. */
export function setStageSink(next: StageSink | undefined): void {
  sink = next;
  if (next) epochClock(); // calibrated now, not on a call's path
}

export function stageTimesOn(): boolean {
  return sink !== undefined;
}

/** Now as epoch milliseconds with sub-millisecond precision (comparable across processes); 0 when off. */
export function stageClock(): number {
  return sink ? epochClock() : 0;
}

/** Stamp `stage` of job `jobId`, now or at a time taken earlier with stageClock() (before the job had an id). */
export function markStage(jobId: string, stage: string, at?: number): void {
  if (sink) sink(jobId, stage, at ?? stageClock());
}

const onWrite = new WeakMap<object, { jobId: string; stage: string }>();

/**
 * Stamp `stage` of job `jobId` when the answer to `request` is written to its socket: the Node entry sees the write
 * (functions/node/stage-stamps.ts); elsewhere nothing is stamped. Off, nothing is kept.
 */
export function markStageOnWrite(request: object, jobId: string, stage: string): void {
  if (sink) onWrite.set(request, { jobId, stage });
}

/** The stage to stamp when the answer to `request` is written (markStageOnWrite), if any. */
export function stageOnWriteOf(request: object): { jobId: string; stage: string } | undefined {
  return sink ? onWrite.get(request) : undefined;
}
