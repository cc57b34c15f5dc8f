/**
 * Tool state and the service event log of the Workers deployment, kept in the broker object (shared-state.ts) and
 * reached through the isolate's BrokerClient; changes come back with the replies, so an isolate hears of another's
 * change at its next call to the object (GET /events streams make one at least every 5 s, with their snapshot).
 */
import type { ServiceEvent, ServiceEventListener, ServiceEventLog } from '../src/events/service-event-log';
import type { ToolStateListener, ToolStateStore } from '../src/registry/tool-state-store';
import type { BrokerClient } from './broker-client';

export class DurableToolState implements ToolStateStore {
  constructor(private readonly client: BrokerClient) {}

  init(start: Readonly<Record<string, boolean>>): Promise<Record<string, boolean>> {
    return this.client.call((b, from) => b.toolStateInit(from, { ...start }));
  }

  set(name: string, enabled: boolean): Promise<boolean> {
    return this.client.call((b, from) => b.toolStateSet(from, name, enabled));
  }

  /** Changes made through other isolates (this isolate's own are applied by the registry as it makes them). */
  subscribe(listener: ToolStateListener): () => void {
    const onChange = (name: string, enabled: boolean, origin: string): void => {
      if (origin === 'remote') listener(name, enabled);
    };
    this.client.listeners.tool.add(onChange);
    return () => this.client.listeners.tool.delete(onChange);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class DurableServiceEvents implements ServiceEventLog {
  constructor(private readonly client: BrokerClient) {}

  publish(type: string, data: Record<string, unknown>): Promise<ServiceEvent> {
    return this.client.call((b, from) => b.publishEvent(from, type, data));
  }

  since(lastId: number): Promise<{ events: ServiceEvent[]; gap: boolean }> {
    return this.client.call((b, from) => b.eventsSince(from, lastId));
  }

  subscribe(listener: ServiceEventListener): () => void {
    this.client.listeners.service.add(listener);
    return () => this.client.listeners.service.delete(listener);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
