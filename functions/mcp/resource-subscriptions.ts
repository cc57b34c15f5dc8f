import type { JobView, McpApiPort } from './api-port';
import { jobIdOf } from './job-resource';

const ENDED: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);
const ENDING_EVENTS: ReadonlySet<string> = new Set(['job.succeeded', 'job.failed', 'job.cancelled']);

/**
 * resources/subscribe for jobs: while a subscribed job runs, its event stream (GET /jobs/{id}/events, with the
 * subscriber's credentials) is followed and every change becomes one notifications/resources/updated. A job that
 * has ended never changes again, so nothing is followed for it; the stream ends with the job.
 */
export class JobSubscriptions {
  private readonly following = new Map<string, AbortController>();

  constructor(
    private readonly port: McpApiPort,
    private readonly updated: (uri: string) => Promise<void>,
  ) {}

  add(uri: string, job: JobView, headers: Readonly<Record<string, string>>, principal: string | undefined): void {
    if (this.following.has(uri) || ENDED.has(job.status)) return;
    const stop = new AbortController();
    this.following.set(uri, stop);
    void this.follow(uri, job, { signal: stop.signal, headers, principal }).finally(() => {
      if (this.following.get(uri) === stop) this.following.delete(uri);
    });
  }

  remove(uri: string): void {
    this.following.get(uri)?.abort();
    this.following.delete(uri);
  }

  closeAll(): void {
    for (const stop of this.following.values()) stop.abort();
    this.following.clear();
  }

  private async follow(uri: string, seen: JobView, ctx: { signal: AbortSignal; headers: Readonly<Record<string, string>>; principal: string | undefined }) {
    const id = jobIdOf(uri);
    if (id === undefined) return;
    try {
      for await (const e of this.port.jobEvents(id, ctx)) {
        // The stream opens with the job as it stands: a change only if it moved on since the subscribe read it.
        const changed = e.type !== 'state' || e.data['status'] !== seen.status || JSON.stringify(e.data['progress']) !== JSON.stringify(seen.progress);
        if (changed) await this.updated(uri);
        if (ENDING_EVENTS.has(e.type) || (e.type === 'state' && ENDED.has(String(e.data['status'])))) return;
      }
    } catch {
      // Best effort, like progress: a broken stream or a closed session ends the subscription quietly.
    }
  }
}
