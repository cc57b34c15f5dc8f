/**
 * Types of the SDK, all derived from the generated openapi/schema.d.ts: a route or schema that changes in the spec
 * changes here, and code using the SDK stops compiling instead of failing at run time.
 */
import type { components, operations, paths } from '../../schema.js';

type ExecutePath = Extract<keyof paths, `/tools/${string}/execute`>;

/** The built-in tools, as the spec names them (`ping`, `nmap`, …). */
export type ToolName = ExecutePath extends `/tools/${infer N}/execute` ? N : never;

type ExecuteOperation<N extends ToolName> = operations[`execute_${N}`];

/** What a tool takes, e.g. `ToolParams<'ping'>` is `{ target, count?, … }`. */
export type ToolParams<N extends ToolName> = ExecuteOperation<N>['requestBody'] extends { content: { 'application/json': infer P } } ? P : never;

/** A finished call: `{ jobId, tool, status: 'succeeded', durationMs, result }` with the tool's own result type. */
export type ToolResponse<N extends ToolName> = ExecuteOperation<N>['responses'][200]['content']['application/json'];

export type ErrorInfo = components['schemas']['ErrorBody']['error'];
export type ErrorCode = ErrorInfo['code'];
export type AcceptedJob = components['schemas']['AcceptedJob'];
export type JobView = components['schemas']['JobView'];
export type JobStatus = components['schemas']['JobStatus'];
export type JobProgress = components['schemas']['JobProgress'];
export type ToolInfo = components['schemas']['ToolInfo'];
export type JobList = components['schemas']['JobList'];
export type TargetPolicyView = components['schemas']['TargetPolicyView'];
export type { components, paths };

/** One event of a job's stream: its state first, then what happens to it; the stream ends with the job. */
export type JobEvent =
  | { type: 'state'; data: JobView }
  | {
      type: 'job.queued' | 'job.claimed' | 'job.progress' | 'job.succeeded' | 'job.failed' | 'job.cancelled';
      data: Record<string, unknown> & { jobId: string };
    }
  | { type: 'gap'; data: { message: string } };
