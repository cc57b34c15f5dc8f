import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeTestApp } from '../../../test/helpers/app';
import { readSse } from '../../../test/helpers/sse';
import { typeFilter } from './events';

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('GET /events?types=', () => {
  it('carries only the named types (exact or family.*) while an unfiltered stream still gets every event', async () => {
    const { call, jobs } = makeTestApp({ MCP_RATE_LIMIT_PER_MINUTE: '0' });
    close = () => jobs.close();
    const filtered = await call('GET', '/events?types=tools.list_changed,runner.*', TOKENS.client);
    const all = await call('GET', '/events', TOKENS.client);
    expect([filtered.status, all.status]).toEqual([200, 200]);
    // A job of this client (job.queued), then a catalogue change.
    expect((await call('POST', '/tools/ping/execute?async=true', TOKENS.client, { target: '10.0.0.1', count: 1 })).status).toBe(202);
    expect((await call('POST', '/tools/nmap/disable', TOKENS.admin)).status).toBe(200);
    const until = (f: { event?: string }): boolean => f.event === 'tools.list_changed';
    const seenFiltered = (await readSse(filtered, until)).map((f) => f.event);
    const seenAll = (await readSse(all, until)).map((f) => f.event);
    expect(seenFiltered).toEqual(['tools.list_changed']);
    expect(seenAll).toContain('job.queued');
    expect(seenAll).toContain('tools.list_changed');
  });

  it('refuses a malformed list before streaming', async () => {
    const { call, jobs } = makeTestApp();
    close = () => jobs.close();
    for (const bad of ['job.*,', 'JOB.queued', 'a b', '*']) {
      const res = await call('GET', `/events?types=${encodeURIComponent(bad)}`, TOKENS.client);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('matches exact names and families, and everything when absent', () => {
    const wanted = typeFilter('tools.list_changed,runner.*');
    expect(['tools.list_changed', 'runner.joined', 'runner.left', 'job.queued', 'snapshot', 'tools.other'].filter(wanted)).toEqual([
      'tools.list_changed',
      'runner.joined',
      'runner.left',
    ]);
    expect(typeFilter(undefined)('job.queued')).toBe(true);
  });
});
