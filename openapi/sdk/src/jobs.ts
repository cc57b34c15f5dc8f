import { readSse } from '../../../functions/mcp/sse-reader';
import type { Transport } from './http';
import type { AcceptedJob, JobEvent, JobView, ToolName, ToolParams } from './types';

const ENDED = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** Times a job's event stream is reopened after it ends early. */
const RECONNECTS = 5;

export interface Jobs {
  /** Start a tool call as a job and return at once (202). The same `idempotencyKey` reattaches to a running job. */
  start<N extends ToolName>(tool: N, params: ToolParams<N>, options?: { idempotencyKey?: string }): Promise<AcceptedJob>;
  get(id: string): Promise<JobView>;
  /** Cancel: the runner stops the job within milliseconds. Idempotent; after the end it returns the final state. */
  cancel(id: string): Promise<JobView>;
  /** Follow a job: its state first, then queued/claimed/progress and the end; the iteration ends with the job. */
  events(id: string, options?: { signal?: AbortSignal }): AsyncGenerator<JobEvent>;
  /** Follow a job to its end (optionally watching each event) and return its final state. */
  wait(id: string, options?: { onEvent?: (event: JobEvent) => void; signal?: AbortSignal }): Promise<JobView>;
}

export function createJobs(http: Transport): Jobs {
  const path = (id: string): string => `/jobs/${encodeURIComponent(id)}`;
  const jobs: Jobs = {
    start: (tool, params, options = {}) =>
      http.json<AcceptedJob>('POST', `/tools/${encodeURIComponent(tool)}/execute?async=true`, {
        body: params,
        ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
      }),
    get: (id) => http.json<JobView>('GET', path(id)),
    cancel: (id) => http.json<JobView>('DELETE', path(id)),
    async *events(id, options = {}) {
      const stop = new AbortController();
      const onAbort = (): void => stop.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let lastEventId: string | undefined;
      try {
        // A stream that ends before the job does (an API restart, a proxy's idle cut) is reopened after the last
        // event seen (Last-Event-ID), so nothing is missed or repeated; a few times, then the job's state is final.
        for (let attempt = 0; attempt <= RECONNECTS; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          if (stop.signal.aborted) return;
          for await (const message of readSse(await http.stream(`${path(id)}/events`, stop.signal, lastEventId))) {
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
    async wait(id, options = {}) {
      for await (const event of jobs.events(id, options.signal ? { signal: options.signal } : {})) options.onEvent?.(event);
      return jobs.get(id);
    },
  };
  return jobs;
}
