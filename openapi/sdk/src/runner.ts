/**
 * @netdiag/client/runner: the runner protocol (POST /runner/*), the API's private contract with its runners, versioned
 * with the API (docs/design.md, "Job protocol"). netdiag's own runner (runner/src/api.ts) is its user; it is not a
 * stable interface for other programs. One call is one request: nothing here retries or waits, because what an answer
 * means is the runner's policy (401/403 stop it, 404 on register is an older API, 404/409 on a heartbeat is a lost
 * lease, Retry-After is honoured): every non-2xx answer is a NetdiagError with `status`, `code` and `retryAfterMs`.
 */
import { type RequestOptions, createTransport } from './http.js';
import type { components } from './types.js';

export { NetdiagError, NetdiagTransportError } from './errors.js';
export type { RequestOptions } from './http.js';

type Schemas = components['schemas'];
export type RunnerRegistration = Schemas['RunnerRegistration'];
export type RunnerRegistered = Schemas['RunnerRegistered'];
export type RunnerClaimRequest = Schemas['RunnerClaimRequest'];
export type RunnerClaimResponse = Schemas['RunnerClaimResponse'];
export type RunnerJob = Schemas['RunnerJob'];
export type RunnerHeartbeatRequest = Schemas['RunnerHeartbeatRequest'];
export type RunnerHeartbeatResponse = Schemas['RunnerHeartbeatResponse'];
export type RunnerCompleteRequest = Schemas['RunnerCompleteRequest'];
export type RunnerCompleteResponse = Schemas['RunnerCompleteResponse'];
export type RunnerControlRequest = Schemas['RunnerControlRequest'];
export type RunnerControlResponse = Schemas['RunnerControlResponse'];
export type RunnerControl = Schemas['RunnerControl'];
export type RunnerDeregistration = Schemas['RunnerDeregistration'];
export type RunnerDeregistered = Schemas['RunnerDeregistered'];
export type JobOutcome = Schemas['JobOutcome'];
export type JobProgress = Schemas['JobProgress'];
export type BreakerState = NonNullable<RunnerClaimRequest['breakers']>[string];

export interface RunnerClientOptions {
  baseUrl: string;
  /** The runner token (MCP_RUNNER_TOKEN on the API), not a client token. */
  token: string;
  /** Another fetch (a lab CA or a client certificate: `fetchTrusting` from `@netdiag/client/node`; tracing; tests). */
  fetch?: typeof fetch;
}

export interface RunnerClient {
  /** Announce the runner (tools, capacity, sandbox) before its first claim; a runner with the same id is replaced. */
  register(body: RunnerRegistration, options?: RequestOptions): Promise<RunnerRegistered>;
  /** Long poll for a job, up to `waitMs` (the API caps it); `job` is absent when none came. Abort with `signal`. */
  claim(body: RunnerClaimRequest, options?: RequestOptions): Promise<RunnerClaimResponse>;
  /** Renew a job's lease, with progress; the answer says whether the job was cancelled. 404/409: the lease is gone. */
  heartbeat(jobId: string, body: RunnerHeartbeatRequest, options?: RequestOptions): Promise<RunnerHeartbeatResponse>;
  /** Report a job's outcome; `duplicate` when the API already had it. 404/409: the lease is gone. */
  complete(jobId: string, body: RunnerCompleteRequest, options?: RequestOptions): Promise<RunnerCompleteResponse>;
  /** Long poll for control messages (stop a job now), up to `waitMs`. Abort with `signal`. */
  control(body: RunnerControlRequest, options?: RequestOptions): Promise<RunnerControlResponse>;
  /** Say goodbye on a graceful stop (the API publishes runner.left at once). */
  deregister(body: RunnerDeregistration, options?: RequestOptions): Promise<RunnerDeregistered>;
}

export function createRunnerClient(options: RunnerClientOptions): RunnerClient {
  const http = createTransport(options);
  const post = <T>(path: string, body: unknown, o: RequestOptions = {}): Promise<T> => http.json<T>('POST', path, { ...o, body });
  const job = (id: string, action: 'heartbeat' | 'complete'): string => `/runner/jobs/${encodeURIComponent(id)}/${action}`;
  return {
    register: (body, o) => post('/runner/register', body, o),
    claim: (body, o) => post('/runner/claim', body, o),
    heartbeat: (id, body, o) => post(job(id, 'heartbeat'), body, o),
    complete: (id, body, o) => post(job(id, 'complete'), body, o),
    control: (body, o) => post('/runner/control', body, o),
    deregister: (body, o) => post('/runner/deregister', body, o),
  };
}
