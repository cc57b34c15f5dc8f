/**
 * The Redis side of the job store: the Lua scripts run with the common arguments (job-lua-common.ts) and the plain
 * reads, every failure mapped to the API's errors (UNAVAILABLE while Redis is down; redis-connection.ts).
 */
import type { Job, JobStatus, RunnerRecord } from '../../src/jobs/types';
import { jobFromFlat, runnerFromFlat } from './job-codec';
import { CANCEL, CLAIM, COMPLETE, ENQUEUE, EXPIRE, FAIL_IF_QUEUED, HEARTBEAT, RELEASE } from './job-lua';
import { type JobKeys, jobKeys } from './redis-keys';
import { type RedisConnections, asApiError } from './redis-connection';
import { LuaScript } from './redis-script';
import { CLAIM_ENDED, CLAIM_STARTED, DEREGISTER, LIST_RUNNERS, REGISTER, SWEEP, TAKE_CONTROL } from './roster-lua';

const lua = (source: string): LuaScript => new LuaScript(source);
const SCRIPTS = {
  enqueue: lua(ENQUEUE), claim: lua(CLAIM), release: lua(RELEASE), heartbeat: lua(HEARTBEAT), complete: lua(COMPLETE), cancel: lua(CANCEL),
  expire: lua(EXPIRE), failIfQueued: lua(FAIL_IF_QUEUED), register: lua(REGISTER), deregister: lua(DEREGISTER), claimStarted: lua(CLAIM_STARTED),
  claimEnded: lua(CLAIM_ENDED), runners: lua(LIST_RUNNERS), sweep: lua(SWEEP), takeControl: lua(TAKE_CONTROL),
}; // prettier-ignore

export type ScriptName = keyof typeof SCRIPTS;

export interface RedisJobStoreOptions {
  prefix: string;
  leaseMs: number;
  maxQueued: number;
  /** Ended jobs kept (the oldest go first). */
  maxRetained: number;
  /** Ended jobs are also dropped this long after they end; 0 = only maxRetained bounds them. */
  retentionMs: number;
  /** The safety-net sweep for leases granted by a replica that died; default max(1 s, leaseMs). */
  sweepMs?: number;
}

export class JobRedis {
  readonly keys: JobKeys;

  constructor(
    readonly connections: RedisConnections,
    private readonly options: RedisJobStoreOptions,
    /** This replica's id, stamped on the events its scripts publish. */
    private readonly origin: string,
  ) {
    this.keys = jobKeys(options.prefix);
  }

  /** Run one script atomically; its own arguments follow the common ones. */
  script(name: ScriptName, args: ReadonlyArray<string | number>): Promise<unknown> {
    const o = this.options;
    return this.call(() => SCRIPTS[name].run(this.connections.command, [], [o.prefix, this.origin, o.maxRetained, o.retentionMs, o.leaseMs, ...args]));
  }

  async get(id: string): Promise<Job | undefined> {
    return jobFromFlat(await this.call(async () => Object.entries(await this.connections.command.hgetall(this.keys.job(id))).flat()));
  }

  async findByKey(principal: string, key: string): Promise<Job | undefined> {
    const id = await this.call(() => this.connections.command.get(this.keys.idempotency(principal, key)));
    return id === null ? undefined : this.get(id);
  }

  /** Jobs in creation order (queued ones in queue order), read in one pipeline. */
  async list(filter: { status?: JobStatus | undefined; tool?: string | undefined }): Promise<Job[]> {
    const index = filter.status === 'queued' ? this.keys.queued : filter.status === 'running' ? this.keys.leases : this.keys.jobs;
    const jobs = await this.call(async () => {
      const ids = await this.connections.command.zrange(index, 0, -1);
      const pipeline = this.connections.command.pipeline();
      for (const id of ids) pipeline.hgetall(this.keys.job(id));
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([err, h]) => (err ? undefined : jobFromFlat(Object.entries(h as Record<string, string>).flat())));
    });
    return jobs.filter((j): j is Job => j !== undefined && (!filter.status || j.status === filter.status) && (!filter.tool || j.tool === filter.tool));
  }

  /** Connected runners (quiet ones swept first), in the order they joined. */
  async runners(): Promise<RunnerRecord[]> {
    const flats = (await this.script('runners', [])) as unknown[];
    const records = flats.map(runnerFromFlat).filter((r) => r !== undefined);
    return records.sort((a, b) => a.order - b.order).map(({ order: _order, ...r }) => r);
  }

  /** A control poll ended: forget its token (best effort; its deadline retires it anyway). */
  unparkControl(runnerId: string, token: string): void {
    this.connections.command.zrem(this.keys.ctlPark(runnerId), token).catch(() => undefined);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw asApiError(err, this.connections.where);
    }
  }
}
