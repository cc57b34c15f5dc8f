/**
 * The broker object's state besides jobs (docs/design.md, "Workers"): which tools are enabled (SQLite, so a restart
 * keeps an operator's choice) and the service event log behind GET /events (the latest `capacity` events in memory;
 * the id sequence in SQLite, so ids keep increasing across restarts and Last-Event-ID stays meaningful).
 */
import type { DurableObjectStorage } from 'cloudflare:workers';
import type { ServiceEvent } from '../src/events/service-event-log';

export class ToolStateTable {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec('CREATE TABLE IF NOT EXISTS tool_state (name TEXT PRIMARY KEY, enabled INTEGER NOT NULL)');
  }

  init(start: Readonly<Record<string, boolean>>): Record<string, boolean> {
    for (const [name, enabled] of Object.entries(start))
      this.storage.sql.exec('INSERT OR IGNORE INTO tool_state (name, enabled) VALUES (?, ?)', name, enabled ? 1 : 0);
    const rows = this.storage.sql.exec<{ name: string; enabled: number }>('SELECT name, enabled FROM tool_state').toArray();
    return Object.fromEntries(rows.map((r) => [r.name, r.enabled === 1]));
  }

  /** True when this changed the state. */
  set(name: string, enabled: boolean): boolean {
    const before = this.storage.sql.exec<{ enabled: number }>('SELECT enabled FROM tool_state WHERE name = ?', name).toArray()[0];
    this.storage.sql.exec('INSERT OR REPLACE INTO tool_state (name, enabled) VALUES (?, ?)', name, enabled ? 1 : 0);
    return before === undefined || (before.enabled === 1) !== enabled;
  }
}

export class ServiceEventRing {
  private readonly ring: ServiceEvent[] = [];
  /** The last id before this object started: those events are gone. */
  private readonly base: number;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly capacity = 1000,
  ) {
    storage.sql.exec('CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
    this.base = this.lastId();
  }

  publish(type: string, data: Record<string, unknown>): ServiceEvent {
    const event: ServiceEvent = { id: this.lastId() + 1, type, time: new Date().toISOString(), data };
    this.storage.sql.exec("INSERT OR REPLACE INTO meta (name, value) VALUES ('last_event_id', ?)", String(event.id));
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.shift();
    return event;
  }

  since(lastId: number): { events: ServiceEvent[]; gap: boolean } {
    const floor = this.ring[0] ? this.ring[0].id - 1 : this.base;
    return { events: this.ring.filter((e) => e.id > lastId), gap: lastId < floor };
  }

  private lastId(): number {
    const row = this.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE name = 'last_event_id'").toArray()[0];
    return Number(row?.value ?? 0);
  }
}
