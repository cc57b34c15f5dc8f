import type { EventBus } from '../events/event-bus';
import { CATALOGUE_EVENT_TYPES, type CatalogueSignal } from '../../mcp/tool-catalogue';

/** In process, the service event bus says when the tool list may have changed (the shim learns it from GET /events). */
export function busCatalogue(bus: EventBus): CatalogueSignal {
  return {
    subscribe: (listener) =>
      bus.subscribe((e) => {
        if (CATALOGUE_EVENT_TYPES.has(e.type)) listener();
      }),
  };
}
