import { type NetdiagClient, NetdiagError } from '../../openapi/sdk/src/index';
import { sleep } from '../../functions/shared/sleep';
import { CATALOGUE_EVENT_TYPES, type CatalogueSignal } from '../../functions/mcp/tool-catalogue';
import type { Log } from './log';

export interface ServiceEventsOptions {
  client: NetdiagClient;
  log: Log;
  /** Reconnect delays: doubled after each failure, from the first to the cap. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface ServiceEvents extends CatalogueSignal {
  start(): void;
  stop(): void;
}

/**
 * Follows GET /events and signals when the tool list may have changed. When the stream breaks (the API restarted,
 * the network went away) it reconnects with exponential backoff, and signals on every reconnect.
 */
export function followServiceEvents(o: ServiceEventsOptions): ServiceEvents {
  const listeners = new Set<() => void>();
  const stop = new AbortController();
  const emit = (): void => {
    for (const l of listeners) l();
  };

  const run = async (): Promise<void> => {
    const first = o.initialDelayMs ?? 500;
    let delay = first;
    while (!stop.signal.aborted) {
      try {
        // Resolves once the API accepted the stream (a refusal throws): every (re)connect may follow a change.
        // Only the catalogue's event types: the API then sends none of the three job events per tool call (issue 12).
        const events = await o.client.events({ signal: stop.signal, types: [...CATALOGUE_EVENT_TYPES] });
        o.log('debug', 'following API events');
        delay = first;
        emit();
        for await (const event of events) if (CATALOGUE_EVENT_TYPES.has(event.type)) emit();
      } catch (err) {
        if (err instanceof NetdiagError) o.log('debug', 'API refused the event stream', { status: err.status });
        else if (!stop.signal.aborted) o.log('debug', 'API event stream unavailable', { err: String(err) });
      }
      await sleep(delay, stop.signal);
      delay = Math.min(delay * 2, o.maxDelayMs ?? 30_000);
    }
  };

  let running = false;
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (running) return;
      running = true;
      void run();
    },
    stop() {
      stop.abort();
    },
  };
}
