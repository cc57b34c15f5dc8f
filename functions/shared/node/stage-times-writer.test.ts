import { afterEach, describe, expect, it } from 'vitest';
import { markStage, setStageSink, stageClock, stageTimesOn } from '../telemetry/stage-times';
import { installStageTimes, stageTimesSink } from './stage-times-writer';
import { pingExecutor } from '../../tools/ping/executor';
import { runThroughRunner } from '../../../test/helpers/runner-harness';

afterEach(() => setStageSink(undefined));

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('stage times (the bench per-stage breakdown)', () => {
  it('is off unless NETDIAG_STAGE_TIMES is true: marks keep and write nothing, the clock reads 0', () => {
    for (const env of [{}, { NETDIAG_STAGE_TIMES: 'false' }, { NETDIAG_STAGE_TIMES: '' }]) {
      expect(installStageTimes(env, 'test', 'last')).toBe(false);
      expect(stageTimesOn()).toBe(false);
    }
    expect(stageClock()).toBe(0);
    markStage('job-1', 'last'); // no sink: nothing happens, nothing throws
    expect(installStageTimes({ NETDIAG_STAGE_TIMES: 'true' }, 'test', 'last')).toBe(true);
    expect(stageTimesOn()).toBe(true);
    expect(stageClock()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('writes one line per job at its last stage, with every stage as epoch milliseconds, then forgets the job', async () => {
    const lines: string[] = [];
    setStageSink(stageTimesSink('netdiag-test', 'done', (l) => lines.push(l)));
    const before = Date.now();
    markStage('a', 'first');
    markStage('b', 'first');
    markStage('a', 'taken-earlier', stageClock() - 5);
    markStage('a', 'done');
    expect(lines).toEqual([]); // written after the current I/O, off the call's path
    await flush();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as { msg: string; name: string; jobId: string; stages: Record<string, number> };
    expect(line).toMatchObject({ msg: 'stage times', name: 'netdiag-test', jobId: 'a' });
    expect(Object.keys(line.stages)).toEqual(['first', 'taken-earlier', 'done']);
    expect(line.stages['first']).toBeGreaterThanOrEqual(before - 1);
    expect(line.stages['done']).toBeGreaterThanOrEqual(line.stages['first'] ?? Infinity);
    markStage('a', 'done'); // a new record: only this stage
    await flush();
    expect(Object.keys((JSON.parse(lines[1] ?? '{}') as { stages: object }).stages)).toEqual(['done']);
  });

  it('adds the marks made after the last stage until the line is written (the answer written to its socket)', async () => {
    const lines: string[] = [];
    setStageSink(stageTimesSink('netdiag-test', 'done', (l) => lines.push(l)));
    markStage('a', 'done');
    markStage('a', 'written'); // same turn: node-server writes the answer right after the handler returns
    await flush();
    expect(Object.keys((JSON.parse(lines[0] ?? '{}') as { stages: object }).stages)).toEqual(['done', 'written']);
  });

  it('ends a line at any stage of a list of last stages (a job at its answer, a /mcp POST at its write)', async () => {
    const lines: string[] = [];
    setStageSink(stageTimesSink('netdiag-test', ['done', 'written'], (l) => lines.push(l)));
    markStage('job', 'done');
    markStage('post', 'arrived');
    markStage('post', 'written');
    await flush();
    expect(lines.map((l) => (JSON.parse(l) as { jobId: string }).jobId)).toEqual(['job', 'post']);
  });

  it('keeps at most 1000 unfinished jobs, dropping the oldest', async () => {
    const lines: string[] = [];
    setStageSink(stageTimesSink('netdiag-test', 'done', (l) => lines.push(l)));
    for (let i = 0; i <= 1000; i += 1) markStage(`job-${i}`, 'first');
    markStage('job-0', 'done');
    markStage('job-1000', 'done');
    await flush();
    const stages = lines.map((l) => Object.keys((JSON.parse(l) as { stages: object }).stages));
    expect(stages).toEqual([['done'], ['first', 'done']]);
  });

  it('the runner pipeline marks pinned → spawn → spawned → exited → parsed in order for a real ping on loopback', async () => {
    const marks: Array<[string, string, number]> = [];
    setStageSink((jobId, stage, at) => marks.push([jobId, stage, at]));
    const run = await runThroughRunner(pingExecutor as never, { target: '127.0.0.1', count: 1 });
    expect(run.outcome.status).toBe('succeeded');
    expect(marks.map(([id, stage]) => `${id} ${stage}`)).toEqual(
      ['runner.pinned', 'runner.spawn', 'runner.spawned', 'runner.exited', 'runner.parsed'].map((s) => `harness-job ${s}`),
    );
    const at = marks.map(([, , t]) => t);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });
});
