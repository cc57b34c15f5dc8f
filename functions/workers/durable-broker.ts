/**
 * The Workers deployment's Broker (functions/src/broker/broker.ts; docs/design.md, "Workers"): everything in the
 * one coordinating Durable Object, reached through one BrokerClient per isolate.
 */
import type { Broker } from '../src/broker/broker';
import { BrokerClient } from './broker-client';
import type { BrokerRpc } from './broker-rpc';
import { DurableServiceEvents, DurableToolState } from './durable-shared-state';
import { DurableJobStore } from './durable-job-store';

export function createDurableBroker(connect: () => BrokerRpc): Broker {
  const client = new BrokerClient(connect);
  const jobs = new DurableJobStore(client);
  return {
    kind: 'durable-object',
    jobs,
    rateBuckets: { take: (key, capacity, windowMs) => connect().takeRateToken(key, capacity, windowMs) },
    serviceEvents: new DurableServiceEvents(client),
    toolState: new DurableToolState(client),
    health: async () => {
      try {
        await jobs.runners();
        return { ok: true, detail: 'State is kept in a Durable Object: shared by every isolate, kept across restarts.' };
      } catch (err) {
        return { ok: false, detail: `The broker Durable Object did not answer: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
    close: async () => undefined,
  };
}
