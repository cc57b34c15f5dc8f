/** A broker object's options: from the Worker's bindings, or as `configure` stored them in the object's SQLite. */
import type { DurableObjectStorage } from 'cloudflare:workers';
import { clampConfig } from '../shared/config/clamp';
import { parseApiSettings } from '../src/config/settings';
import type { BrokerOptions } from './broker-rpc';
import { type WorkerBindings, stringBindings } from './runtime';

/** Finished jobs kept in SQLite (GET /jobs, idempotency keys); as many as the memory broker keeps. */
export const DURABLE_MAX_RETAINED = 10_000;

export function optionsFromBindings(env: WorkerBindings): BrokerOptions {
  const settings = parseApiSettings(clampConfig(stringBindings(env)).values);
  return { leaseMs: settings.leaseMs, maxQueued: settings.maxQueuedJobs, maxRetained: DURABLE_MAX_RETAINED };
}

export function loadOptions(storage: DurableObjectStorage): BrokerOptions | undefined {
  storage.sql.exec('CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE name = 'options'").toArray()[0];
  return row ? (JSON.parse(row.value) as BrokerOptions) : undefined;
}

export function saveOptions(storage: DurableObjectStorage, options: BrokerOptions): void {
  storage.sql.exec("INSERT OR REPLACE INTO meta (name, value) VALUES ('options', ?)", JSON.stringify(options));
}
