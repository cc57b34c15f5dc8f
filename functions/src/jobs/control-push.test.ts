// The mailboxes behind the memory store's control push (docs/design.md, "Job protocol"); the store's own control
// behaviour is part of the JobStore contract (test/broker/job-store-contract.ts).
import { describe, expect, it } from 'vitest';
import { ControlMailboxes } from './control-mailboxes';

describe('ControlMailboxes', () => {
  it('keeps at most MAX_PENDING messages per runner, dropping the oldest', async () => {
    const boxes = new ControlMailboxes();
    for (let i = 0; i < ControlMailboxes.MAX_PENDING + 5; i += 1) boxes.post('r', { type: 'cancel', jobId: `j${i}`, leaseId: 'l' });
    const got = await boxes.wait('r', 0);
    expect(got).toHaveLength(ControlMailboxes.MAX_PENDING);
    expect(got[0]?.jobId).toBe('j5');
  });

  it('wakes every poll parked under one runner id', async () => {
    const boxes = new ControlMailboxes();
    const a = boxes.wait('r', 60_000);
    const b = boxes.wait('r', 60_000);
    boxes.post('r', { type: 'cancel', jobId: 'j', leaseId: 'l' });
    expect(await a).toHaveLength(1);
    expect(await b).toHaveLength(1);
    boxes.drain();
  });
});
