/**
 * The plumbing of the broker object (broker-object.ts): how a call runs (its events, its errors), parked calls'
 * tickets, and the alarm that follows the earliest lease (docs/design.md, "Workers").
 */
import { DurableObject } from 'cloudflare:workers';
import { ApiError } from '../src/errors/api-error';
import type { Caller, Reply } from './broker-rpc';
import { EventRing } from './event-ring';
import type { JobArchive } from './job-archive';
import type { WorkerBindings } from './runtime';

/** The alarm fires this long after the earliest lease expiry: a live object's own lease timer has acted by then. */
const ALARM_SLACK_MS = 1000;
/** How long an abandon that came before its call is remembered; the call itself is one RPC behind it at most. */
const EARLY_ABANDON_MS = 60_000;

export abstract class BrokerObjectBase extends DurableObject<WorkerBindings> {
  protected readonly events = new EventRing();
  private readonly tickets = new Map<string, AbortController>();
  /** Tickets abandoned before their call arrived, with when: each call goes through its own stub, so no order holds. */
  private readonly abandonedEarly = new Map<string, number>();
  private alarmAt: number | undefined;
  protected abstract archive: JobArchive;

  /** An evicted object woke at a lease expiry: the constructor has restored (and handled lost leases); arm the next. */
  async alarm(): Promise<void> {
    this.alarmAt = undefined;
    this.armAlarm();
  }

  /**
   * Run one call for `from`: events its synchronous part raises are its own (`owner`), ApiErrors become envelopes,
   * and the reply carries every event since the caller's cursor.
   */
  protected async call<T>(from: Caller, run: () => Promise<T>): Promise<Reply<T>> {
    const start = from.cursor ?? this.events.head;
    this.events.owner = from.isolate;
    let pending: Promise<T>;
    try {
      pending = run();
    } finally {
      this.events.owner = undefined;
    }
    let result: Reply<T>['result'];
    try {
      result = { ok: true, value: await pending };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      result = { ok: false, error: err.info };
    }
    return { result, events: this.events.since(start, from.isolate), head: this.events.head };
  }

  /**
   * A parked call the caller can give up with `abandon(ticket)` (an AbortSignal cannot cross RPC). The abandon may
   * arrive first (each call has its own stub, so the two are not ordered): then the call does not run and answers
   * `ifAbandoned`.
   */
  protected async withTicket<T>(ticket: string, ifAbandoned: T, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.abandonedEarly.delete(ticket)) return ifAbandoned;
    const abort = new AbortController();
    this.tickets.set(ticket, abort);
    try {
      return await run(abort.signal);
    } finally {
      this.tickets.delete(ticket);
    }
  }

  protected abandonTicket(ticket: string): void {
    const parked = this.tickets.get(ticket);
    if (parked) return parked.abort();
    // Not parked: either it already ended (the mark expires unused) or its call is still on the way.
    const now = Date.now();
    for (const [old, at] of this.abandonedEarly) {
      if (now - at < EARLY_ABANDON_MS) break;
      this.abandonedEarly.delete(old);
    }
    this.abandonedEarly.set(ticket, now);
  }

  /**
   * The alarm follows the earliest running lease. It is only moved earlier: one set too early fires, finds nothing
   * overdue and re-arms (alarm()), which costs less than a storage write on every heartbeat.
   */
  protected armAlarm(): void {
    const expiry = this.archive.nextLeaseExpiry();
    if (expiry === undefined) return;
    const at = Math.max(expiry, Date.now()) + ALARM_SLACK_MS;
    if (this.alarmAt !== undefined && this.alarmAt <= at) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }
}
