// The JobStore contract (functions/src/jobs/store.ts, docs/design.md "Job protocol" and "Broker"): one suite run
// against every implementation (memory, Redis, the Durable Object in workerd). It imports only vitest and the store's
// types, so it runs on any runtime; jobs are read back through the store, never through returned objects.
import { afterEach, describe } from 'vitest';
import type { JobStore } from '../../functions/src/jobs/store';
import { describeJobRules } from './contract/job-rules';
import type { ContractStore, ContractStoreOptions, MakeStore } from './contract/fixtures';
import { describeRunnerRules } from './contract/runner-rules';

export type { ContractStore, ContractStoreOptions, MakeStore };

export function describeJobStoreContract(name: string, makeStore: MakeStore): void {
  describe(`JobStore contract: ${name}`, () => {
    let opened: ContractStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      opened = [];
    });
    const open = async (options: Partial<ContractStoreOptions> = {}): Promise<JobStore> => {
      const s = await makeStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 10, ...options });
      opened.push(s);
      return s.store;
    };
    describeJobRules(open);
    describeRunnerRules(open);
  });
}
