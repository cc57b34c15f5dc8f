import { readSse } from '../../../functions/mcp/sse-reader';
import type { RequestOptions, Transport } from './http.js';
import type { AcceptedJob, JobEvent, JobList, JobStatus, JobView, ToolName, ToolParams } from './types.js';

const ENDED = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** Times a job's event stream is reopened after it ends early. */
const RECONNECTS = 5;

export interface StartOptions extends RequestOptions {
  /** The same key reattaches to the job it started (no second job), for retries after a lost answer. */
  idempotencyKey?: string | undefined;
}

export interface ListOptions extends RequestOptions {
  status?: JobStatus;
  tool?: string;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface Jobs {
  /** Start a tool call as a job and return at once (202). The same `idempotencyKey` reattaches to a running job. */
  start<N extends ToolName>(tool: N, params: ToolParams<N>, options?: StartOptions): Promise<AcceptedJob>;
  get(id: string, options?: RequestOptions): Promise<JobView>;
  /** Your jobs (all of them with `tools:admin`), newest first, a page at a time. */
  list(options?: ListOptions): Promise<JobList>;
  /** Cancel: the runner stops the job within milliseconds. Idempotent; after the end it returns the final state. */
  cancel(id: string, options?: RequestOptions): Promise<JobView>;
  /** Follow a job: its state first, then queued/claimed/progress and the end; the iteration ends with the job. */
  events(id: string, options?: RequestOptions): AsyncGenerator<JobEvent>;
  /** Follow a job to its end (optionally watching each event) and return its final state. */
  wait(id: string, options?: RequestOptions & { onEvent?: (event: JobEvent) => void }): Promise<JobView>;
}

export function createJobs(http: Transport): Jobs {
  const path = (id: string): string => `/jobs/${encodeURIComponent(id)}`;
  const jobs: Jobs = {
    start: (tool, params, { idempotencyKey, ...options } = {}) =>
      http.json<AcceptedJob>('POST', `/tools/${encodeURIComponent(tool)}/execute?async=true`, {
        ...options,
        body: params,
        ...(idempotencyKey ? { headers: { ...options.headers, 'idempotency-key': idempotencyKey } } : {}),
      }),
    get: (id, options) => http.json<JobView>('GET', path(id), options),
    list: ({ status, tool, limit, cursor, ...options } = {}) => {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries({ status, tool, limit, cursor })) if (v !== undefined) query.set(k, String(v));
      const qs = query.toString();
      return http.json<JobList>('GET', qs ? `/jobs?${qs}` : '/jobs', options);
    },
    cancel: (id, options) => http.json<JobView>('DELETE', path(id), options),
    async *events(id, options = {}) {
      const stop = new AbortController();
      const onAbort = (): void => stop.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) stop.abort();
      let lastEventId: string | undefined;
      try {
        // A stream that ends before the job does (an API restart, a proxy's idle cut) is reopened after the last
        // event seen (Last-Event-ID), so nothing is missed or repeated; a few times, then the job's state is final.
        for (let attempt = 0; attempt <= RECONNECTS; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          if (stop.signal.aborted) return;
          const body = await http.stream(`${path(id)}/events`, { headers: options.headers, signal: stop.signal, lastEventId });
          for await (const message of readSse(body)) {
            if (message.id !== undefined) lastEventId = message.id;
            const event = { type: message.event, data: JSON.parse(message.data) as unknown } as JobEvent;
            yield event;
            // A job that had already ended when the stream opened is told by its first state.
            if (ENDED.has(event.type) || (event.type === 'state' && FINAL.has(event.data.status))) return;
          }
        }
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        stop.abort();
      }
    },
    async wait(id, { onEvent, ...options } = {}) {
      for await (const event of jobs.events(id, options)) onEvent?.(event);
      return jobs.get(id, options);
    },
  };
  return jobs;
}
