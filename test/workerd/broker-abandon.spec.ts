// A parked call's abandon that reaches the Durable Object before the call itself (functions/workers/broker-object-base.ts):
// each call has its own stub, so the two are not ordered. A fresh-machine CI run once parked such a control poll for its
// full minute. Inside workerd.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { BrokerRpc, Caller } from '../../functions/workers/broker-rpc';
import { DurableJobStore } from '../../functions/workers/durable-job-store';
import type { WorkerBindings } from '../../functions/workers/runtime';
import { cancelled } from '../broker/contract/fixtures';

const namespace = (env as WorkerBindings).JOB_BROKER;
const caller: Caller = { isolate: 'test', cursor: undefined };
const newJob = { tool: 'ping', params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'p', timeoutSec: 5 };

async function freshBroker(): Promise<{ stub: () => BrokerRpc; store: DurableJobStore }> {
  if (!namespace) throw new Error('JOB_BROKER binding missing (wrangler.toml)');
  const id = namespace.idFromName(crypto.randomUUID());
  const stub = (): BrokerRpc => namespace.get(id) as unknown as BrokerRpc;
  const store = new DurableJobStore(stub);
  await store.configure({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10 });
  return { stub, store };
}

/** The value, or 'still parked' if the call has not answered within two seconds (it asks to wait a minute). */
async function within2s<T>(reply: Promise<{ result: { ok: true; value: T } | { ok: false } }>): Promise<T | 'still parked'> {
  const parked = new Promise<'still parked'>((resolve) => setTimeout(() => resolve('still parked'), 2000));
  const answered = reply.then((r) => {
    if (!r.result.ok) throw new Error('call failed');
    return r.result.value;
  });
  return Promise.race([answered, parked]);
}

describe('an abandon that arrives before its call', () => {
  it('answers the control poll at once and leaves a waiting cancel for the next poll', async () => {
    const { stub, store } = await freshBroker();
    const job = await store.enqueue(newJob);
    const lease = await store.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 });
    await store.cancel(job.id, cancelled);
    await stub().abandon(caller, 'early');
    expect(await within2s(stub().waitControl(caller, 'early', 'r1', 60_000))).toEqual([]);
    expect(await store.waitControl('r1', 0)).toEqual([{ type: 'cancel', jobId: job.id, leaseId: lease?.leaseId }]);
  });

  it('answers the claim at once with nothing and leaves the job queued', async () => {
    const { stub, store } = await freshBroker();
    await stub().abandon(caller, 'early');
    expect(await within2s(stub().claim(caller, { ticket: 'early', runnerId: 'r1', tools: ['ping'], waitMs: 60_000 }))).toBeNull();
    const job = await store.enqueue(newJob);
    expect((await store.get(job.id))?.status).toBe('queued');
  });

  it('gives up only the call with that ticket, once', async () => {
    const { stub } = await freshBroker();
    await stub().abandon(caller, 'early');
    expect(await within2s(stub().waitControl(caller, 'early', 'r1', 60_000))).toEqual([]);
    const again = stub().waitControl(caller, 'early', 'r1', 60_000);
    const other = stub().waitControl(caller, 'other', 'r1', 60_000);
    expect(await within2s(again)).toBe('still parked');
    expect(await within2s(other)).toBe('still parked');
    // Parked now, so an abandon reaches them: both answer.
    await stub().abandon(caller, 'early');
    await stub().abandon(caller, 'other');
    expect(await within2s(again)).toEqual([]);
    expect(await within2s(other)).toEqual([]);
  });
});
