import type { ApiClient, JobOutcome, RunnerJob, components } from '../../openapi/client';
import { failureFields, isRetryable, retryAfterMs, toApiCallError } from './api-error';
import type { Logger } from '../../functions/shared/node/logger';
import type { BreakerState } from './resilience/tool-guards';
import { type RetryHooks, sleep, withRetry } from './retry';

type Progress = components['schemas']['JobProgress'];
type RunnerControl = components['schemas']['RunnerControl'];
type RunnerRegistration = components['schemas']['RunnerRegistration'];

/** The runner's calls to the API, each with its own retry policy. */
export class RunnerApi {
  constructor(
    private readonly client: ApiClient,
    private readonly runnerId: string,
    private readonly logger: Logger,
    private readonly hooks: Pick<RetryHooks, 'sleep' | 'random'> = {},
  ) {}

  /**
   * Long-poll for a job. Retries until stopped: 1 s to 30 s with full jitter, honouring Retry-After.
   * 401/403 are thrown at once (the worker stops); a stop signal returns null. `breakers`: this runner's circuit
   * breaker states, shown by the API's /metrics.
   */
  async claim(tools: readonly string[], waitMs: number, signal: AbortSignal, breakers?: Record<string, BreakerState>): Promise<RunnerJob | null> {
    return this.untilStopped('claim failed; retrying', signal, null, async () => {
      const { data, error, response } = await this.client.POST('/runner/claim', {
        body: { runnerId: this.runnerId, tools: [...tools], waitMs, ...(breakers ? { breakers } : {}) },
        signal,
      });
      if (data) {
        // The server sets the cadence: an empty answer may ask for a pause before the next claim.
        if (!data.job && data.pollAgainMs > 0) await (this.hooks.sleep ?? sleep)(Math.min(data.pollAgainMs, 60_000), signal);
        return data.job ?? null;
      }
      throw await toApiCallError(response, error);
    });
  }

  /**
   * Announce this runner before the first claim. Retries like claim (1 s to 30 s, full jitter, Retry-After) until
   * stopped, since nothing else can happen without the API; 401/403 are thrown at once. An API without the
   * route (404) is an older one: returns 'unsupported' and the runner works as before, known from its claims.
   */
  async register(info: Omit<RunnerRegistration, 'runnerId'>, signal: AbortSignal): Promise<'registered' | 'unsupported' | 'stopped'> {
    return this.untilStopped<'registered' | 'unsupported' | 'stopped'>('register failed; retrying', signal, 'stopped', async () => {
      const { data, error, response } = await this.client.POST('/runner/register', { body: { ...info, runnerId: this.runnerId }, signal });
      if (data) return 'registered';
      if (response.status === 404) return 'unsupported';
      throw await toApiCallError(response, error);
    });
  }

  /**
   * Say goodbye on a graceful stop, so the API publishes runner.left at once instead of after a lease period.
   * Does not linger: 4 attempts, 1 s apart at most; a failure is only logged (the API notices the silence anyway).
   */
  async deregister(): Promise<void> {
    await withRetry(
      async () => {
        const { data, error, response } = await this.client.POST('/runner/deregister', { body: { runnerId: this.runnerId } });
        if (data || response.status === 404) return;
        throw await toApiCallError(response, error);
      },
      { attempts: 4, baseMs: 1000, capMs: 1000 },
      { ...this.hooks, retryable: isRetryable, retryAfterMs: () => undefined },
    ).catch((err: unknown) => this.logger.warn(failureFields(err), 'could not deregister; the API will notice the silence'));
  }

  /**
   * Long-poll for control messages (stop a job now). Retries like claim until stopped: 1 s to 30 s with full
   * jitter, honouring Retry-After; while it retries, heartbeat replies still bring cancellation. 401/403 are thrown
   * at once; an API without the route (404) is an older one: 'unsupported', and heartbeats alone carry cancellation.
   * A stop signal returns [].
   */
  async control(waitMs: number, signal: AbortSignal): Promise<RunnerControl[] | 'unsupported'> {
    return this.untilStopped<RunnerControl[] | 'unsupported'>('control poll failed; retrying (heartbeats still carry cancellation)', signal, [], async () => {
      const { data, error, response } = await this.client.POST('/runner/control', { body: { runnerId: this.runnerId, waitMs }, signal });
      if (data) return data.messages;
      if (response.status === 404) return 'unsupported';
      throw await toApiCallError(response, error);
    });
  }

  /**
   * The policy of the calls nothing can happen without (claim, register, control): retry until stopped, waits up to
   * 1 s growing to 4 s with full jitter, honouring Retry-After; non-retryable answers (401/403) are thrown at once; a
   * stop signal answers `stopped`. The 4 s cap bounds how long a runner takes to come back after an API restart or
   * a replica failover (issue 10: within 5 s; test/e2e/replicas/api-restart.test.ts); with a 30 s cap a restart of a
   * second or two could leave the runner idle for up to half a minute.
   */
  private untilStopped<T>(retryMessage: string, signal: AbortSignal, stopped: T, call: () => Promise<T>): Promise<T> {
    return withRetry(
      () => (signal.aborted ? Promise.resolve(stopped) : call()),
      { attempts: Infinity, baseMs: 1000, capMs: 4000 },
      {
        ...this.hooks,
        signal,
        retryable: isRetryable,
        retryAfterMs,
        onRetry: (err, n, ms) => this.logger.warn({ ...failureFields(err), attempt: n, waitMs: ms }, retryMessage),
      },
    ).catch((err: unknown) => {
      if (signal.aborted) return stopped;
      throw err;
    });
  }

  /** Renew the lease once (no retry: the next tick is the retry). Returns 'lease-lost' on 404/409. */
  async heartbeat(job: RunnerJob, progress: Progress | undefined): Promise<{ cancelRequested: boolean } | 'lease-lost'> {
    const { data, error, response } = await this.client.POST('/runner/jobs/{id}/heartbeat', {
      params: { path: { id: job.id } },
      body: progress ? { leaseId: job.leaseId, progress } : { leaseId: job.leaseId },
    });
    if (data) return data;
    if (response.status === 404 || response.status === 409) return 'lease-lost';
    throw await toApiCallError(response, error);
  }

  /**
   * Report the outcome. Results must not be lost: 12 attempts, 1 s doubling to a 60 s cap (about ten minutes).
   * 404/409 mean the API no longer expects this lease: logged and dropped. `breakers`: the runner's circuit breaker
   * states after this job, shown by the API's /metrics.
   */
  async complete(job: RunnerJob, outcome: JobOutcome, breakers?: Record<string, BreakerState>): Promise<void> {
    await withRetry(
      async () => {
        const { data, error, response } = await this.client.POST('/runner/jobs/{id}/complete', {
          params: { path: { id: job.id } },
          body: { leaseId: job.leaseId, outcome, ...(breakers ? { breakers } : {}) },
        });
        if (data) return;
        if (response.status === 404 || response.status === 409) {
          this.logger.warn({ jobId: job.id, status: response.status }, 'completion refused: lease no longer held');
          return;
        }
        throw await toApiCallError(response, error);
      },
      { attempts: 12, baseMs: 1000, capMs: 60_000 },
      {
        ...this.hooks,
        retryable: isRetryable,
        retryAfterMs,
        onRetry: (err, n, ms) => this.logger.warn({ jobId: job.id, ...failureFields(err), attempt: n, waitMs: ms }, 'complete failed; retrying'),
      },
    );
  }
}
