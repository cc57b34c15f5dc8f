import type { LoggingLevel, ProgressToken, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { JobStreamEvent } from './api-port';
import type { LogLevelState } from './log-level';

export interface JobNotifierOptions {
  tool: string;
  jobId: string;
  /** From the request's _meta; no progress notifications without it. */
  progressToken: ProgressToken | undefined;
  logs: LogLevelState;
  /** Sends a notification tied to the tools/call request (on HTTP it travels on that request's stream). */
  send: (notification: ServerNotification) => Promise<void>;
}

/** Least time between the last progress notification and the result (see settle). */
export const PROGRESS_SETTLE_MS = 20;

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Turns one job's event stream into MCP notifications: `notifications/progress` (strictly increasing, as the spec
 * requires: 0 when a runner takes the job, then the runner's own figures; the result itself says it is done) and
 * `notifications/message` for its lifecycle at the level the client chose.
 */
export class JobNotifier {
  private last: number | undefined;
  private total: number | undefined;
  private lastSentAt: number | undefined;

  constructor(private readonly o: JobNotifierOptions) {}

  /** Whether anyone listens; when not, the job's events need not be followed at all. */
  get wanted(): boolean {
    return this.o.progressToken !== undefined || this.o.logs.active;
  }

  /** Handle one event; true once the job has ended (nothing more will come). */
  async handle(e: JobStreamEvent): Promise<boolean> {
    const d = e.data;
    switch (e.type) {
      case 'state':
        return this.state(d);
      case 'job.claimed':
        await this.running(str(d['runnerId']));
        return false;
      case 'job.requeued':
        await this.log('warning', 'lost its runner and was queued again');
        return false;
      case 'job.progress':
        await this.progress(record(d['progress']));
        return false;
      case 'gap':
        await this.log('warning', 'some job events were lost; the result is still exact');
        return false;
      case 'job.succeeded':
      case 'job.failed':
      case 'job.cancelled':
        await this.ended(e.type.slice(4), d);
        return true;
      default:
        return false;
    }
  }

  /** The first event: the job as it stands, possibly already ended (then no other event follows). */
  private async state(view: Record<string, unknown>): Promise<boolean> {
    const status = str(view['status']);
    if (status === 'queued') await this.log('debug', 'is queued, waiting for a runner');
    if (status === 'running') await this.running(str(view['runnerId']));
    if (view['progress'] !== undefined) await this.progress(record(view['progress']));
    if (status !== 'succeeded' && status !== 'failed' && status !== 'cancelled') return false;
    await this.ended(status, view);
    return true;
  }

  private async ended(status: string, d: Record<string, unknown>): Promise<void> {
    if (status === 'succeeded') return this.succeeded(num(d['durationMs']));
    if (status === 'cancelled') return this.log('notice', 'was cancelled');
    const err = record(d['error']);
    return this.log('error', `failed: ${str(err['code']) ?? 'UNKNOWN'} ${str(err['message']) ?? ''}`.trim(), { error: err });
  }

  private async running(runnerId: string | undefined): Promise<void> {
    const where = runnerId ? ` on runner ${runnerId}` : '';
    await this.notifyProgress(0, `running${where}`);
    await this.log('info', `is running${where}`, runnerId ? { runnerId } : {});
  }

  private async progress(p: Record<string, unknown>): Promise<void> {
    const value = num(p['progress']);
    if (value === undefined) return;
    this.total = num(p['total']) ?? this.total;
    const message = str(p['message']);
    await this.notifyProgress(value, message);
    await this.log('debug', message ? `progress: ${message}` : `progress ${value}${this.total !== undefined ? `/${this.total}` : ''}`);
  }

  /**
   * Wait until the last progress notification is PROGRESS_SETTLE_MS old. SDK 1.x clients handle notifications a
   * microtask later than responses, so progress read in the same chunk as the result is dropped with an error
   * (typescript-sdk issue #2580); a short gap before a result that follows progress closely avoids it.
   */
  async settle(): Promise<void> {
    const wait = this.lastSentAt === undefined ? 0 : this.lastSentAt + PROGRESS_SETTLE_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private async succeeded(durationMs: number | undefined): Promise<void> {
    await this.log('info', `succeeded${durationMs !== undefined ? ` in ${Math.round(durationMs)} ms` : ''}`, durationMs !== undefined ? { durationMs } : {});
  }

  private async notifyProgress(value: number, message: string | undefined): Promise<void> {
    const token = this.o.progressToken;
    if (token === undefined || (this.last !== undefined && value <= this.last)) return;
    this.last = value;
    const params = { progressToken: token, progress: value, ...(this.total !== undefined ? { total: this.total } : {}), ...(message ? { message } : {}) };
    await this.o.send({ method: 'notifications/progress', params });
    this.lastSentAt = Date.now();
  }

  private async log(level: LoggingLevel, what: string, extra: Record<string, unknown> = {}): Promise<void> {
    if (!this.o.logs.allows(level)) return;
    const data = { message: `${this.o.tool} job ${this.o.jobId} ${what}`, tool: this.o.tool, jobId: this.o.jobId, ...extra };
    await this.o.send({ method: 'notifications/message', params: { level, logger: 'netdiag', data } });
  }
}
