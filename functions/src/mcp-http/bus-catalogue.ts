import type { ServiceEventLog } from '../events/service-event-log';
import { CATALOGUE_EVENT_TYPES, type CatalogueSignal } from '../../mcp/tool-catalogue';

/** In process, the service event log (every replica's events, with a shared broker) says when the tool list may have changed (the shim learns it from GET /events). */
export function busCatalogue(bus: ServiceEventLog): CatalogueSignal {
  return {
    subscribe: (listener) =>
      bus.subscribe((e) => {
        if (CATALOGUE_EVENT_TYPES.has(e.type)) listener();
      }),
  };
}
