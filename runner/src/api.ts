import {
  type JobOutcome,
  type JobProgress,
  NetdiagError,
  type RunnerClient,
  type RunnerControl,
  type RunnerJob,
  type RunnerRegistration,
} from '../../openapi/sdk/src/runner';
import { failureFields, isRetryable, retryAfterMs } from './api-error';
import type { Logger } from '../../functions/shared/node/logger';
import type { BreakerState } from './resilience/tool-guards';
import { sleep } from '../../functions/shared/sleep';
import { type RetryHooks, withRetry } from './retry';

/**
 * The runner's calls to the API, each with its own retry policy. The calls themselves are the SDK's runner protocol
 * (openapi/sdk/src/runner.ts): one request each, a NetdiagError (status, code, retryAfterMs) for a non-2xx answer.
 */
export class RunnerApi {
  constructor(
    private readonly client: RunnerClient,
    private readonly runnerId: string,
    private readonly logger: Logger,
    private readonly hooks: Pick<RetryHooks, 'sleep' | 'random'> = {},
  ) {}

  /**
   * Long-poll for a job. Retries until stopped: 1 s growing to 4 s with full jitter, honouring Retry-After.
   * 401/403 are thrown at once (the worker stops); a stop signal returns null. `breakers`: this runner's circuit
   * breaker states, shown by the API's /metrics.
   */
  async claim(tools: readonly string[], waitMs: number, signal: AbortSignal, breakers?: Record<string, BreakerState>): Promise<RunnerJob | null> {
    return this.untilStopped('claim failed; retrying', signal, null, async () => {
      const data = await this.client.claim({ runnerId: this.runnerId, tools: [...tools], waitMs, ...(breakers ? { breakers } : {}) }, { signal });
      // The server sets the cadence: an empty answer may ask for a pause before the next claim.
      if (!data.job && data.pollAgainMs > 0) await (this.hooks.sleep ?? sleep)(Math.min(data.pollAgainMs, 60_000), signal);
      return data.job ?? null;
    });
  }

  /**
   * Announce this runner before the first claim. Retries like claim (1 s to 4 s, full jitter, Retry-After) until
   * stopped, since nothing else can happen without the API; 401/403 are thrown at once. An API without the
   * route (404) is an older one: returns 'unsupported' and the runner works as before, known from its claims.
   */
  async register(info: Omit<RunnerRegistration, 'runnerId'>, signal: AbortSignal): Promise<'registered' | 'unsupported' | 'stopped'> {
    return this.untilStopped<'registered' | 'unsupported' | 'stopped'>('register failed; retrying', signal, 'stopped', async () => {
      const answer = await onStatus(this.client.register({ ...info, runnerId: this.runnerId }, { signal }), [404], 'unsupported' as const);
      return answer === 'unsupported' ? answer : 'registered';
    });
  }

  /**
   * Say goodbye on a graceful stop, so the API publishes runner.left at once instead of after a lease period.
   * Does not linger: 4 attempts, 1 s apart at most; a failure is only logged (the API notices the silence anyway).
   */
  async deregister(): Promise<void> {
    await withRetry(
      async () => {
        await onStatus(this.client.deregister({ runnerId: this.runnerId }), [404], undefined);
      },
      { attempts: 4, baseMs: 1000, capMs: 1000 },
      { ...this.hooks, retryable: isRetryable, retryAfterMs: () => undefined },
    ).catch((err: unknown) => this.logger.warn(failureFields(err), 'could not deregister; the API will notice the silence'));
  }

  /**
   * Long-poll for control messages (stop a job now). Retries like claim until stopped: 1 s to 4 s with full
   * jitter, honouring Retry-After; while it retries, heartbeat replies still bring cancellation. 401/403 are thrown
   * at once; an API without the route (404) is an older one: 'unsupported', and heartbeats alone carry cancellation.
   * A stop signal returns [].
   */
  async control(waitMs: number, signal: AbortSignal): Promise<RunnerControl[] | 'unsupported'> {
    return this.untilStopped<RunnerControl[] | 'unsupported'>('control poll failed; retrying (heartbeats still carry cancellation)', signal, [], async () => {
      const answer = await onStatus(this.client.control({ runnerId: this.runnerId, waitMs }, { signal }), [404], 'unsupported' as const);
      return answer === 'unsupported' ? answer : answer.messages;
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
  async heartbeat(job: RunnerJob, progress: JobProgress | undefined): Promise<{ cancelRequested: boolean } | 'lease-lost'> {
    const body = progress ? { leaseId: job.leaseId, progress } : { leaseId: job.leaseId };
    return onStatus(this.client.heartbeat(job.id, body), [404, 409], 'lease-lost' as const);
  }

  /**
   * Report the outcome. Results must not be lost: 12 attempts, 1 s doubling to a 60 s cap (about ten minutes).
   * 404/409 mean the API no longer expects this lease: logged and dropped. `breakers`: the runner's circuit breaker
   * states after this job, shown by the API's /metrics.
   */
  async complete(job: RunnerJob, outcome: JobOutcome, breakers?: Record<string, BreakerState>): Promise<void> {
    await withRetry(
      async () => {
        try {
          await this.client.complete(job.id, { leaseId: job.leaseId, outcome, ...(breakers ? { breakers } : {}) });
        } catch (err) {
          if (!(err instanceof NetdiagError && (err.status === 404 || err.status === 409))) throw err;
          this.logger.warn({ jobId: job.id, status: err.status }, 'completion refused: lease no longer held');
        }
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

/** The call's answer, or `value` when the API answered with one of `statuses` (an older API, a lost lease). */
async function onStatus<T, V>(call: Promise<T>, statuses: readonly number[], value: V): Promise<T | V> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof NetdiagError && statuses.includes(err.status)) return value;
    throw err;
  }
}
