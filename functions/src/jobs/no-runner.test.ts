import { describe, expect, it } from 'vitest';
import { noRunnerOffers } from './no-runner';
import type { RunnerRecord } from './types';

const runner = (runnerId: string, tools: string[], unavailable?: Record<string, string>): RunnerRecord => ({
  runnerId,
  tools,
  lastSeen: 0,
  registered: true,
  ...(unavailable ? { unavailable } : {}),
});

describe('noRunnerOffers', () => {
  it('says nothing with no runner connected (the call waits) or when one offers the tool', () => {
    expect(noRunnerOffers('dig', [])).toBeUndefined();
    expect(noRunnerOffers('dig', [runner('a', ['ping'], { dig: 'no resolver' }), runner('b', ['dig'])])).toBeUndefined();
  });

  it('keeps message and details bounded however many runners are connected', () => {
    const runners = Array.from({ length: 20 }, (_, i) => runner(`r${String(i).padStart(2, '0')}`, ['ping'], { dig: 'no resolver' }));
    const info = noRunnerOffers('dig', runners);
    expect(info?.code).toBe('NO_RUNNER');
    expect(info?.message).toBe(
      'No connected runner offers dig: runner r00: no resolver; runner r01: no resolver; runner r02: no resolver; runner r03: no resolver; runner r04: no resolver; and 15 more.',
    );
    expect(info?.details).toMatchObject({ connectedRunners: 20, capableRunners: 0 });
    expect(info?.details?.['unavailable']).toHaveLength(16);
  });

  it('does not read inherited properties as reasons', () => {
    expect(noRunnerOffers('constructor', [runner('a', ['ping'], {})])?.message).toBe(
      'No connected runner offers constructor: runner a: does not offer constructor (no reason given).',
    );
  });
});
