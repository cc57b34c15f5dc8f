/**
 * The bench's per-stage breakdown of a /mcp POST (NETDIAG_STAGE_TIMES=true only; issue 12: MCP over HTTP vs REST).
 * The tools/call's job gets the execute route's stamps from the same code (tool-call/execute-tool.ts; its api.arrived
 * is the moment the port hands the call over, direct-execute.ts); the outer POST has no job id, so its own stamps go
 * under a key of their own, one line per POST ended by its answer's write (mcp.written, functions/node/stage-stamps.ts),
 * which the bench joins to the call by time, as it joins the job's line (bench/stage-breakdown.ts):
 * mcp.arrived (node-server's entry), mcp.routed (Host/Origin, token, body and session done: the call is handed to its
 * handler), mcp.settled (the handler's result is back), mcp.written (the answer handed to the socket).
 * Off, which is the default, each call is one check of an unset variable and nothing is kept.
 */
import { markArrival } from '../../shared/telemetry/stage-arrival';
import { markStage, markStageOnWrite, stageTimesOn } from '../../shared/telemetry/stage-times';

const keys = new WeakMap<object, string>();
let next = 0;

/** The POST `request` of a tools/call (`body`) was routed to its handler: stamp its arrival, this moment and its answer's write to come. */
export function markMcpRouted(request: object, body: unknown): void {
  if (!stageTimesOn() || (body as { method?: unknown } | null)?.method !== 'tools/call') return;
  next += 1;
  const key = `mcp-post-${next}`;
  keys.set(request, key);
  markArrival(request, key, 'mcp.arrived');
  markStage(key, 'mcp.routed');
  markStageOnWrite(request, key, 'mcp.written');
}

/** `stage` of the POST `request` (marked routed before), now. */
export function markMcpStage(request: object, stage: string): void {
  if (!stageTimesOn()) return;
  const key = keys.get(request);
  if (key !== undefined) markStage(key, stage);
}
