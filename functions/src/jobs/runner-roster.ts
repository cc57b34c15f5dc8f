import type { RunnerEvent, RunnerInfo, RunnerLeftReason, RunnerRecord } from './types';

export interface RunnerRosterOptions {
  /** A runner neither parked in a claim nor heard from for this long has left. */
  leaseMs: number;
  now: () => number;
}

/**
 * Which runners are connected. A runner joins when it registers, or with its first claim if it never does
 * (older runners); it leaves when it deregisters or goes unheard for a lease period while not parked in a
 * claim. A claim held open longer than the lease (long-poll 25 s, lease 15 s) keeps its runner connected.
 * Every join and leave is reported once to the listeners. No I/O; one timer, armed only while runners are known.
 */
export class RunnerRoster {
  private readonly records = new Map<string, RunnerRecord>();
  private readonly parked = new Map<string, number>();
  private readonly listeners = new Set<(event: RunnerEvent) => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RunnerRosterOptions) {}

  /** A runner announced itself. Registering again (a restart under the same id) replaces the record. */
  register(info: RunnerInfo): { rejoined: boolean } {
    const rejoined = this.records.has(info.runnerId);
    const record: RunnerRecord = { ...info, tools: [...info.tools], lastSeen: this.options.now(), registered: true };
    this.records.set(info.runnerId, record);
    this.emit({ type: 'joined', runner: record, rejoined });
    this.arm();
    return { rejoined };
  }

  /** A runner stopped gracefully; false when it was not known. */
  deregister(runnerId: string): boolean {
    return this.drop(runnerId, 'deregistered');
  }

  /** A claim arrived: the runner is here and can run `tools` now. An unknown runner joins unregistered. */
  claimStarted(runnerId: string, tools: readonly string[]): void {
    const known = this.records.get(runnerId);
    if (known) {
      known.lastSeen = this.options.now();
      if (!sameTools(known.tools, tools)) known.tools = [...tools];
    } else {
      const record: RunnerRecord = { runnerId, tools: [...tools], lastSeen: this.options.now(), registered: false };
      this.records.set(runnerId, record);
      this.emit({ type: 'joined', runner: record, rejoined: false });
    }
    this.parked.set(runnerId, (this.parked.get(runnerId) ?? 0) + 1);
    this.arm();
  }

  /** A claim returned (job, timeout, or the runner hung up). Never re-adds a runner that left meanwhile. */
  claimEnded(runnerId: string): void {
    const left = (this.parked.get(runnerId) ?? 1) - 1;
    if (left > 0) this.parked.set(runnerId, left);
    else this.parked.delete(runnerId);
    this.touch(runnerId);
  }

  /** Any other sign of life (a heartbeat). */
  touch(runnerId: string): void {
    const known = this.records.get(runnerId);
    if (!known) return;
    known.lastSeen = this.options.now();
    this.arm();
  }

  /** Connected runners, sweeping out those gone quiet. */
  list(): RunnerRecord[] {
    this.sweep();
    return [...this.records.values()];
  }

  subscribe(listener: (event: RunnerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Emit `left` for every runner not parked in a claim and unheard since a lease period. */
  sweep(): void {
    const horizon = this.options.now() - this.options.leaseMs;
    for (const r of [...this.records.values()]) {
      if (!this.parked.has(r.runnerId) && r.lastSeen < horizon) this.drop(r.runnerId, 'not-seen');
    }
  }

  private drop(runnerId: string, reason: RunnerLeftReason): boolean {
    const record = this.records.get(runnerId);
    if (!record) return false;
    this.records.delete(runnerId);
    this.parked.delete(runnerId);
    this.emit({ type: 'left', runner: record, reason });
    return true;
  }

  /** One timer for the earliest possible expiry; lastSeen only grows, so an early firing just re-arms. */
  private arm(): void {
    if (this.timer !== undefined || this.records.size === 0) return;
    let earliest = Infinity;
    for (const r of this.records.values()) if (!this.parked.has(r.runnerId)) earliest = Math.min(earliest, r.lastSeen);
    const delay = earliest === Infinity ? this.options.leaseMs : Math.max(0, earliest + this.options.leaseMs - this.options.now()) + 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep();
      this.arm();
    }, delay);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private emit(event: RunnerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function sameTools(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
