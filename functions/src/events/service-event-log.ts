/** One service event as it goes out on GET /events (SSE `id`, `event`, `data`). */
export interface ServiceEvent {
  /** Increasing integer, one sequence for every replica sharing the log (the SSE `id`, Last-Event-ID). */
  id: number;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

export type ServiceEventListener = (e: ServiceEvent) => void;

/**
 * The service events behind GET /events, /jobs/{id}/events and MCP list_changed notifications (docs/design.md,
 * "Broker"): a bounded log with increasing ids, so a client reconnecting with Last-Event-ID gets what it missed while
 * the log still holds it. In memory per process by default; in Redis (functions/node/broker/redis-service-event-log.ts)
 * one log and one id sequence for all replicas, every event reaching the subscribers of every replica once. A Durable
 * Object can implement it too: no Node-only types here.
 *
 * Publish once per occurrence: the replica that performed a change publishes it (events/bridge.ts); replicas that
 * only hear of a change through the shared store do not publish it again.
 */
export interface ServiceEventLog {
  /** Append an event; rejects when the log is unreachable (the event is then lost, the caller logs it). */
  publish(type: string, data: Record<string, unknown>): Promise<ServiceEvent>;
  /** Events after `lastId` still held; `gap` is true when some were already dropped. */
  since(lastId: number): Promise<{ events: ServiceEvent[]; gap: boolean }>;
  /** Every event published from now on, by any replica; returns the unsubscribe function. */
  subscribe(listener: ServiceEventListener): () => void;
  /** Stop reading (Redis: the blocking reader's connection). */
  close(): Promise<void>;
}

/** Today's in-process log: a ring of `capacity` events; listeners are called synchronously inside publish. */
export class MemoryServiceEventLog implements ServiceEventLog {
  private readonly ring: ServiceEvent[] = [];
  private nextId = 1;
  private readonly listeners = new Set<ServiceEventListener>();

  constructor(
    private readonly capacity = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  publish(type: string, data: Record<string, unknown>): Promise<ServiceEvent> {
    const event: ServiceEvent = { id: this.nextId++, type, time: new Date(this.now()).toISOString(), data };
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const l of this.listeners) l(event);
    return Promise.resolve(event);
  }

  since(lastId: number): Promise<{ events: ServiceEvent[]; gap: boolean }> {
    const first = this.ring[0];
    const gap = first !== undefined && lastId < first.id - 1;
    return Promise.resolve({ events: this.ring.filter((e) => e.id > lastId), gap });
  }

  subscribe(listener: ServiceEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
