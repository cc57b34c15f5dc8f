/**
 * The moment a request reached the API's entry (node-server's fetch call), for the bench's per-stage breakdown
 * (issue 12): the Node entry notes it only while stage times are on (functions/node/stage-stamps.ts), and the
 * route stamps it under the job's id once it knows the job (shared/telemetry/stage-times.ts). Off, nothing is kept.
 */
import { markStage, stageClock, stageTimesOn } from './stage-times';

const arrivals = new WeakMap<object, number>();

/** Note that `request` arrived now (the entry's first step). */
export function noteArrival(request: object): void {
  if (stageTimesOn()) arrivals.set(request, stageClock());
}

/** Stamp `stage` of job `jobId` at the time `request` arrived, when that was noted. */
export function markArrival(request: object, jobId: string, stage: string): void {
  if (!stageTimesOn()) return;
  const at = arrivals.get(request);
  if (at !== undefined) markStage(jobId, stage, at);
}
