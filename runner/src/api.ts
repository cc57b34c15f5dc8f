import type { ApiClient, JobOutcome, RunnerJob, components } from '../../openapi/client';
import { isRetryable, retryAfterMs, toApiCallError } from './api-error';
import type { Logger } from './logger';
import { type RetryHooks, withRetry } from './retry';

type Progress = components['schemas']['JobProgress'];

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
   * 401/403 are thrown at once (the worker stops); a stop signal returns null.
   */
  async claim(tools: readonly string[], waitMs: number, signal: AbortSignal): Promise<RunnerJob | null> {
    return withRetry(
      async () => {
        if (signal.aborted) return null;
        const { data, error, response } = await this.client.POST('/runner/claim', { body: { runnerId: this.runnerId, tools: [...tools], waitMs }, signal });
        if (data) return data.job ?? null;
        throw await toApiCallError(response, error);
      },
      { attempts: Infinity, baseMs: 1000, capMs: 30_000 },
      { ...this.hooks, signal, retryable: isRetryable, retryAfterMs, onRetry: (err, n, ms) => this.logger.warn({ err: String(err), attempt: n, waitMs: ms }, 'claim failed; retrying') },
    ).catch((err: unknown) => {
      if (signal.aborted) return null;
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
   * 404/409 mean the API no longer expects this lease: logged and dropped.
   */
  async complete(job: RunnerJob, outcome: JobOutcome): Promise<void> {
    await withRetry(
      async () => {
        const { data, error, response } = await this.client.POST('/runner/jobs/{id}/complete', { params: { path: { id: job.id } }, body: { leaseId: job.leaseId, outcome } });
        if (data) return;
        if (response.status === 404 || response.status === 409) {
          this.logger.warn({ jobId: job.id, status: response.status }, 'completion refused: lease no longer held');
          return;
        }
        throw await toApiCallError(response, error);
      },
      { attempts: 12, baseMs: 1000, capMs: 60_000 },
      { ...this.hooks, retryable: isRetryable, retryAfterMs, onRetry: (err, n, ms) => this.logger.warn({ jobId: job.id, err: String(err), attempt: n, waitMs: ms }, 'complete failed; retrying') },
    );
  }
}
