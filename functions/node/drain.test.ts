import { describe, expect, it } from 'vitest';
import { MemoryJobStore } from '../src/jobs/memory-store';
import type { Job } from '../src/jobs/types';
import { capturingLogger } from '../../test/helpers/test-logger';
import { drainJobs } from './drain';

const newJob = { tool: 'ping', params: { target: '10.0.0.1' }, target: '10.0.0.1', principal: 'client', timeoutSec: 30 };

function setup(): { jobs: MemoryJobStore; deps: Parameters<typeof drainJobs>[0] } {
  const jobs = new MemoryJobStore({ leaseMs: 60_000, maxQueued: 10, maxRetained: 100 });
  return { jobs, deps: { jobs, lifecycle: { draining: false }, logger: capturingLogger().logger } };
}

describe('drainJobs', () => {
  it('sets draining and answers a parked claim at once with no job', async () => {
    const { jobs, deps } = setup();
    const parked = jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 60_000 });
    await drainJobs(deps, 0);
    expect(deps.lifecycle.draining).toBe(true);
    await expect(parked).resolves.toBeNull();
  });

  it('fails queued jobs, which no runner will be handed any more', async () => {
    const { jobs, deps } = setup();
    const queued = await jobs.enqueue(newJob);
    expect(await drainJobs(deps, 0)).toBe(0);
    expect(await jobs.get(queued.id)).toMatchObject({
      status: 'failed',
      error: { code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/shutting down/) },
    });
  });

  it('waits for a running job that finishes within the grace', async () => {
    const { jobs, deps } = setup();
    await jobs.enqueue(newJob);
    const lease = (await jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 })) as { job: Job; leaseId: string };
    const draining = drainJobs(deps, 60_000);
    await jobs.complete(lease.job.id, lease.leaseId, { status: 'succeeded', result: {}, durationMs: 5 });
    expect(await draining).toBe(0);
    expect((await jobs.get(lease.job.id))?.status).toBe('succeeded');
  });

  it('ends a job still running when the grace is over, so its caller gets an answer', async () => {
    const { jobs, deps } = setup();
    await jobs.enqueue(newJob);
    const lease = (await jobs.claim({ runnerId: 'r1', tools: ['ping'], waitMs: 0 })) as { job: Job; leaseId: string };
    const ended = jobs.waitForEnd(lease.job.id);
    expect(await drainJobs(deps, 1)).toBe(1);
    expect(await ended).toMatchObject({
      status: 'failed',
      error: { code: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/shut down before the job finished/) },
    });
  });
});
