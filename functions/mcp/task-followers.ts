import type { Task } from '@modelcontextprotocol/sdk/types.js';
import type { JobView, McpApiPort } from './api-port';
import { isTerminalJob, jobToTask } from './job-task';

/**
 * notifications/tasks/status for the tasks this session started: the job's events are followed (with the starter's
 * credentials) and each change of status or status message is sent once, read back from the job itself. Best
 * effort, like progress: tasks/get is the source of truth, and a client that polls misses nothing.
 */
export class TaskFollowers {
  private readonly following = new Set<AbortController>();

  constructor(
    private readonly port: McpApiPort,
    private readonly notify: (task: Task) => Promise<void>,
  ) {}

  follow(job: JobView, headers: Readonly<Record<string, string>>, principal: string | undefined): void {
    if (isTerminalJob(job)) return;
    const stop = new AbortController();
    this.following.add(stop);
    void this.run(job, { signal: stop.signal, headers, principal }).finally(() => this.following.delete(stop));
  }

  closeAll(): void {
    for (const stop of this.following) stop.abort();
    this.following.clear();
  }

  private async run(job: JobView, ctx: { signal: AbortSignal; headers: Readonly<Record<string, string>>; principal: string | undefined }): Promise<void> {
    let last = jobToTask(job);
    try {
      for await (const e of this.port.jobEvents(job.id, ctx)) {
        if (e.type === 'state') continue;
        const now = await this.port.getJob(job.id, ctx);
        if (now.kind !== 'ok') continue;
        const task = jobToTask(now.data);
        if (task.status !== last.status || task.statusMessage !== last.statusMessage) await this.notify(task);
        last = task;
        if (isTerminalJob(now.data)) return;
      }
    } catch {
      // A broken stream or a closed session ends the notifications quietly.
    }
  }
}
