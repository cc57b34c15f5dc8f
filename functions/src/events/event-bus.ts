/** One service event as it goes out on GET /events (SSE `id`, `event`, `data`). */
export interface ServiceEvent {
  id: number;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

/**
 * Service events with increasing ids in a bounded ring, so a client reconnecting with Last-Event-ID
 * gets what it missed while the buffer still holds it.
 */
export class EventBus {
  private readonly ring: ServiceEvent[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(e: ServiceEvent) => void>();

  constructor(
    private readonly capacity = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  publish(type: string, data: Record<string, unknown>): ServiceEvent {
    const event: ServiceEvent = { id: this.nextId++, type, time: new Date(this.now()).toISOString(), data };
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const l of this.listeners) l(event);
    return event;
  }

  /** Events after `lastId` still in the buffer; `gap` is true when some were already dropped. */
  since(lastId: number): { events: ServiceEvent[]; gap: boolean } {
    const first = this.ring[0];
    const gap = first !== undefined && lastId < first.id - 1;
    return { events: this.ring.filter((e) => e.id > lastId), gap };
  }

  subscribe(listener: (e: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
