// The JobStore contract against the in-memory store (the default broker).
import { MemoryJobStore } from '../../functions/src/jobs/memory-store';
import { describeJobStoreContract } from './job-store-contract';

describeJobStoreContract('memory', async (options) => {
  const store = new MemoryJobStore(options);
  return { store, close: async () => store.close() };
});
