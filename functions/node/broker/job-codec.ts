/**
 * Jobs and runner records to and from Redis hashes (redis-keys.ts), and the messages on the event channel. Scalar
 * fields are strings; params, result, error and progress are JSON, so Lua never has to re-encode them.
 */
import type { JobOutcome, RunnerControl } from '../../shared/jobs/contract';
import { ApiError } from '../../src/errors/api-error';
import type { ErrorInfo } from '../../shared/errors/codes';
import type { Job, JobEvent, JobProgress, JobStatus, NewJob, RunnerEvent, RunnerInfo, RunnerLeftReason, RunnerRecord } from '../../src/jobs/types';

/** A flat HGETALL reply as a record (cjson turns an empty list into `{}`: no fields). */
export function fieldsOf(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
const json = <T>(v: string | undefined): T | undefined => (v === undefined || v === '' ? undefined : (JSON.parse(v) as T));

/** The job a hash holds; undefined for a missing (dropped or expired) one. */
export function jobFromFlat(flat: unknown): Job | undefined {
  const f = fieldsOf(flat);
  if (f['id'] === undefined) return undefined;
  return {
    id: f['id'],
    tool: f['tool'] ?? '',
    params: json<Record<string, unknown>>(f['params']) ?? {},
    target: f['target'] ?? '',
    principal: f['principal'] ?? '',
    status: (f['status'] ?? 'queued') as JobStatus,
    timeoutSec: num(f['timeoutSec']) ?? 0,
    createdAt: num(f['createdAt']) ?? 0,
    claimedAt: num(f['claimedAt']),
    finishedAt: num(f['finishedAt']),
    runnerId: f['runnerId'],
    leaseId: f['leaseId'],
    leaseExpiresAt: num(f['leaseExpiresAt']),
    attempts: num(f['attempts']) ?? 0,
    cancelRequested: f['cancelRequested'] === '1',
    progress: json(f['progress']),
    result: json(f['result']),
    error: json<ErrorInfo>(f['error']),
    resolvedAddress: f['resolvedAddress'],
    durationMs: num(f['durationMs']),
    idempotencyKey: f['idempotencyKey'],
    traceparent: f['traceparent'],
  };
}

/** The hash fields of a new job (Lua adds id, status, times and counters). `ikey` is the idempotency key's Redis key. */
export function newJobFields(input: NewJob, ikey: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {
    tool: input.tool,
    params: JSON.stringify(input.params),
    target: input.target,
    principal: input.principal,
    timeoutSec: String(input.timeoutSec),
  };
  if (input.idempotencyKey !== undefined) fields['idempotencyKey'] = input.idempotencyKey;
  if (input.traceparent !== undefined) fields['traceparent'] = input.traceparent;
  if (ikey !== undefined) fields['ikey'] = ikey;
  return fields;
}

/** The job a script returned; a script that returns none where one must exist is a bug. */
export function expectJob(reply: unknown): Job {
  const job = jobFromFlat(reply);
  if (!job) throw new Error('redis job store: a script returned no job');
  return job;
}

/** The COMPLETE script's outcome arguments (job-lua.ts): status, error JSON, error code, result JSON, address, duration. */
export function outcomeArgs(outcome: JobOutcome): string[] {
  const error = outcome.status === 'failed' ? outcome.error : undefined;
  const result = outcome.result ? JSON.stringify(outcome.result) : '';
  return [outcome.status, error ? JSON.stringify(error) : '', error?.code ?? '', result, outcome.resolvedAddress ?? '', String(outcome.durationMs)];
}

/** A script's refusal as the memory store words it: `nf` → NOT_FOUND, `conflict` → LEASE_CONFLICT. */
export function refuseReply(reply: unknown, id: string, leaseId: string): void {
  if (reply === 'nf') throw ApiError.of('NOT_FOUND', `No job ${id}.`);
  if (reply === 'conflict') throw ApiError.of('LEASE_CONFLICT', `Lease ${leaseId} does not hold job ${id}.`);
}

/** A runner hash: what it announced (info), the tools of its last claim, lastSeen, registered. */
export function runnerFromFlat(flat: unknown): (RunnerRecord & { order: number }) | undefined {
  const f = fieldsOf(flat);
  const info = json<RunnerInfo>(f['info']);
  if (!info) return undefined;
  return {
    ...info,
    tools: json<string[]>(f['tools']) ?? [...info.tools],
    lastSeen: num(f['lastSeen']) ?? 0,
    registered: f['registered'] === '1',
    order: num(f['order']) ?? 0,
  };
}

/** What arrives on the event channel, decoded; `origin` is relative to the replica reading it. */
export type BrokerMessage =
  | { kind: 'job'; event: JobEvent }
  | { kind: 'runner'; event: RunnerEvent }
  | { kind: 'wake'; tool: string }
  | { kind: 'control'; runnerId: string; message: RunnerControl };

interface Wire {
  k?: string;
  o?: string;
  t?: string;
  j?: unknown;
  p?: string;
  r?: unknown;
  tool?: string;
  m?: RunnerControl;
  rejoined?: boolean;
  reason?: RunnerLeftReason;
}

/** Decode one channel message; undefined for anything malformed (skipped: the channel is ours alone). */
export function decodeMessage(raw: string, replicaId: string): BrokerMessage | undefined {
  const w = JSON.parse(raw) as Wire;
  const origin = w.o === replicaId ? 'local' : 'remote';
  if (w.k === 'wake' && typeof w.tool === 'string') return { kind: 'wake', tool: w.tool };
  if (w.k === 'ctl' && typeof w.r === 'string' && w.m) return { kind: 'control', runnerId: w.r, message: w.m };
  if (w.k === 'job') {
    const job = jobFromFlat(w.j);
    if (!job) return undefined;
    if (w.t === 'progress') return { kind: 'job', event: { type: 'progress', job, progress: json<JobProgress>(w.p) ?? { progress: 0 }, origin } };
    return { kind: 'job', event: { type: w.t as Exclude<JobEvent['type'], 'progress'>, job, origin } };
  }
  if (w.k === 'runner') {
    const found = runnerFromFlat(w.r);
    if (!found) return undefined;
    const { order: _order, ...runner } = found;
    if (w.t === 'left') return { kind: 'runner', event: { type: 'left', runner, reason: w.reason ?? 'not-seen', origin } };
    return { kind: 'runner', event: { type: 'joined', runner, rejoined: w.rejoined === true, origin } };
  }
  return undefined;
}
