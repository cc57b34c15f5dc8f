// The JobStore contract (test/broker/job-store-contract.ts) against the Durable Object broker, inside workerd: the
// Worker's stub client (functions/workers/durable-job-store.ts) over RPC to a fresh JobBroker object per store.
import { env } from 'cloudflare:workers';
import { DurableJobStore } from '../../functions/workers/durable-job-store';
import type { WorkerBindings } from '../../functions/workers/runtime';
import { describeJobStoreContract } from '../broker/job-store-contract';

const namespace = (env as WorkerBindings).JOB_BROKER;

describeJobStoreContract('durable-object', async (options) => {
  if (!namespace) throw new Error('JOB_BROKER binding missing (wrangler.toml)');
  const id = namespace.idFromName(crypto.randomUUID());
  const store = new DurableJobStore(() => namespace.get(id));
  if (!(await store.configure(options))) throw new Error('a fresh broker object refused its options');
  return { store, close: async () => store.close() };
});
