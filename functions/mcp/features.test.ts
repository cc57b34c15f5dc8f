import { describe, expect, it } from 'vitest';
import type { JobView } from './api-port';
import { completeFrom, suffixCompletions } from './completion';
import { intrusiveOptions } from './confirm-intrusive';
import { jobIdOf, jobUri, renderJob } from './job-resource';
import { jobToCallResult, jobToTask } from './job-task';
import { ProtocolError } from './protocol-error';

const job = (over: Partial<JobView>): JobView => ({
  id: 'j1',
  tool: 'ping',
  status: 'succeeded',
  target: '10.0.0.5',
  principal: 'client',
  params: { target: '10.0.0.5' },
  createdAt: '2026-01-01T00:00:00.000Z',
  attempts: 1,
  ...over,
});
const HINTS = { apiUrl: 'x', tokenName: 'x', tokenFix: 'x', unreachableFix: 'x', timeoutFix: 'x' };
const renderers = new Map([['ping', (r: Readonly<Record<string, unknown>>) => `rendered ${String(r['received'])}`]]);

describe('job resources', () => {
  it('reads a job id back from its URI and refuses anything else', () => {
    expect(jobIdOf(jobUri('abc-1'))).toBe('abc-1');
    for (const uri of ['netdiag://jobs/', 'netdiag://jobs/a/b', 'netdiag://policy', 'file:///etc/passwd', 'netdiag://jobs/a b'])
      expect(jobIdOf(uri)).toBeUndefined();
  });

  it("renders a job with the tool's own text, an error with its code", () => {
    expect(renderJob(job({ result: { received: 1 }, durationMs: 12.4 }), renderers)).toBe('ping job j1 against 10.0.0.5: succeeded in 12 ms\nrendered 1');
    const failed = job({ status: 'failed', error: { code: 'TIMEOUT', message: 'no answer', recoverySuggestion: 'wait' } });
    expect(renderJob(failed, renderers)).toBe('ping job j1 against 10.0.0.5: failed\nTIMEOUT: no answer');
  });
});

describe('tasks', () => {
  it('maps every job status onto a task status', () => {
    const statuses = (['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const).map((status) => jobToTask(job({ status })).status);
    expect(statuses).toEqual(['working', 'working', 'completed', 'failed', 'cancelled']);
    expect(jobToTask(job({ status: 'running', progress: { progress: 3, message: 'hop 3/30' } }))).toMatchObject({
      taskId: 'j1',
      statusMessage: 'hop 3/30',
      ttl: null,
    });
  });

  it('answers tasks/result as a direct call would, tied to the task', () => {
    const ok = jobToCallResult(job({ result: { received: 1 } }), HINTS, renderers);
    expect(ok).toMatchObject({ structuredContent: { received: 1 }, _meta: { 'io.modelcontextprotocol/related-task': { taskId: 'j1' } } });
    const failed = jobToCallResult(
      job({ status: 'failed', error: { code: 'TIMEOUT', message: 'slow', recoverySuggestion: 'wait' }, result: { hosts: [] } }),
      HINTS,
      renderers,
    );
    expect(failed.isError).toBe(true);
    expect(failed.content).toContainEqual(expect.objectContaining({ type: 'resource_link', uri: 'netdiag://jobs/j1' }));
    expect(ok.content).toContainEqual(expect.objectContaining({ type: 'resource_link', uri: 'netdiag://jobs/j1' }));
    expect(failed._meta).toMatchObject({ 'io.netdiag/error': { code: 'TIMEOUT', details: { jobId: 'j1', partialResult: { hosts: [] } } } });
  });
});

describe('completion', () => {
  it('makes lab host names of a typed name with the configured suffixes', () => {
    expect(suffixCompletions('web', ['.lab.internal', '.test.lab'])).toEqual(['web.lab.internal', 'web.test.lab']);
    expect(suffixCompletions('web.la', ['.lab.internal', '.test.lab'])).toEqual(['web.lab.internal']);
    expect(suffixCompletions('', ['.lab.internal'])).toEqual([]);
  });

  it('offers targets, ports and ids from recent jobs, newest first, without duplicates', () => {
    const jobs = [job({ id: 'b2', target: '10.0.0.7', params: { port: 8443 } }), job({ id: 'a1' }), job({ id: 'a0' })];
    expect(completeFrom('target', '10.', jobs, undefined)).toEqual(['10.0.0.7', '10.0.0.5']);
    expect(completeFrom('port', '84', jobs, undefined)).toEqual(['8443']);
    expect(completeFrom('id', 'a', jobs, undefined)).toEqual(['a1', 'a0']);
    expect(completeFrom('other', '', jobs, undefined)).toEqual([]);
  });
});

describe('intrusive nmap options', () => {
  it('names raw scans, OS detection and gated scripts, and nothing for a connect scan with safe scripts', () => {
    expect(intrusiveOptions('nmap', { scanType: 'syn', osDetection: true, scripts: ['banner', 'http-enum', 'nonsense'] })).toEqual([
      'scanType syn',
      'osDetection',
      'scripts http-enum',
    ]);
    expect(intrusiveOptions('nmap', { scanType: 'connect', scripts: ['banner', 'ssl-cert'] })).toEqual([]);
    expect(intrusiveOptions('ping', { scanType: 'syn' })).toEqual([]);
  });
});

it('a protocol error carries its plain message, so the client adds the only prefix', () => {
  const e = new ProtocolError(-32602, 'Invalid timing: expected one of "T0"|"T1"');
  expect(e.message).toBe('Invalid timing: expected one of "T0"|"T1"');
  expect(e.code).toBe(-32602);
});
