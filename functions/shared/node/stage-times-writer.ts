/**
 * The sink behind functions/shared/telemetry/stage-times.ts: keeps each job's marks until its last stage, then writes
 * one JSON line `{"msg":"stage times","name":...,"jobId":...,"stages":{stage: epochMs}}` to stderr (the process's log),
 * whatever LOG_LEVEL says, after the current I/O so the line is not on the call's path (with the marks made until then). Installed only when
 * NETDIAG_STAGE_TIMES=true (`npm run bench` sets it for its breakdown pass).
 */
import { type StageSink, setStageSink } from '../telemetry/stage-times';

/** Jobs whose last stage never came (async calls, crashes) are dropped beyond this many. */
const MAX_OPEN_JOBS = 1000;

export function stageTimesSink(name: string, lastStage: string | readonly string[], write: (line: string) => void = (l) => process.stderr.write(l)): StageSink {
  // Several last stages: a line per key ends at whichever it reaches (the API's jobs at api.answered, /mcp POSTs at mcp.written).
  const last = new Set(typeof lastStage === 'string' ? [lastStage] : lastStage);
  const open = new Map<string, Record<string, number>>();
  return (jobId, stage, at) => {
    let stages = open.get(jobId);
    if (!stages) {
      if (open.size >= MAX_OPEN_JOBS) open.delete(open.keys().next().value ?? '');
      stages = {};
      open.set(jobId, stages);
    }
    stages[stage] = at;
    if (!last.has(stage)) return;
    // Written after the current I/O: marks made until then (the answer's write, functions/node/stage-stamps.ts) join the line.
    const done = stages;
    setImmediate(() => {
      if (open.get(jobId) === done) open.delete(jobId);
      write(`${JSON.stringify({ msg: 'stage times', name, jobId, stages: done })}\n`);
    });
  };
}

/** From the environment: on only when NETDIAG_STAGE_TIMES is true. Returns whether it is on. */
export function installStageTimes(env: Readonly<Record<string, string | undefined>>, name: string, lastStage: string | readonly string[]): boolean {
  if (!/^(true|1)$/i.test(env['NETDIAG_STAGE_TIMES'] ?? '')) return false;
  setStageSink(stageTimesSink(name, lastStage));
  return true;
}
