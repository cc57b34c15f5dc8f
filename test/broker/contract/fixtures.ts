// Shared by the JobStore contract's parts (test/broker/job-store-contract.ts): vitest and the store's types only.
import type { ErrorInfo } from '../../../functions/shared/errors/codes';
import type { JobStore } from '../../../functions/src/jobs/store';

export interface ContractStoreOptions {
  leaseMs: number;
  maxQueued: number;
  maxRetained: number;
}

export interface ContractStore {
  store: JobStore;
  /** Close the store and whatever it holds (connections). */
  close(): Promise<void>;
}

export type MakeStore = (options: ContractStoreOptions) => Promise<ContractStore>;

/** A fresh store for one test (closed after it), defaults: lease 60 s, 10 queued, 10 retained. */
export type OpenStore = (options?: Partial<ContractStoreOptions>) => Promise<JobStore>;

export const newJob = (tool = 'ping', extra: { idempotencyKey?: string } = {}) => ({
  tool,
  params: { target: '10.0.0.1' },
  target: '10.0.0.1',
  principal: 'p',
  timeoutSec: 5,
  ...extra,
});
export const ok = { status: 'succeeded' as const, result: { x: 1 }, durationMs: 3 };
export const info = (code: ErrorInfo['code'], message: string): ErrorInfo => ({ code, message, recoverySuggestion: 'try again' });
export const cancelled = info('CANCELLED', 'Cancelled by p.');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job queued and claimed by `runnerId`. */
export async function running(store: JobStore, runnerId = 'r1'): Promise<{ id: string; leaseId: string }> {
  await store.enqueue(newJob());
  const lease = await store.claim({ runnerId, tools: ['ping'], waitMs: 0 });
  if (!lease) throw new Error('no lease');
  return { id: lease.job.id, leaseId: lease.leaseId };
}
