import { describe, expect, it } from 'vitest';
import { encodeFrame, isRunnerPath, readAnswerHead, readRequestHead, splitFrame } from './frame';

describe('runner channel frames', () => {
  it('round-trip a head and a body that has newlines of its own', () => {
    const body = '{"a":"x\\ny"}\n{"b":1}';
    const frame = splitFrame(encodeFrame({ id: 7, method: 'POST', path: '/runner/claim', headers: { authorization: 'Bearer t' } }, body));
    expect(frame).toEqual({ head: { id: 7, method: 'POST', path: '/runner/claim', headers: { authorization: 'Bearer t' } }, body });
    expect(readRequestHead(frame?.head)).toEqual({ id: 7, method: 'POST', path: '/runner/claim', headers: { authorization: 'Bearer t' } });
  });

  it('take runner routes as they stand and nothing else', () => {
    for (const ok of ['/runner/claim', '/runner/jobs/0b6c5a1e-1/complete', '/runner/jobs/a%20b/heartbeat', '/runner/control?x=1'])
      expect(isRunnerPath(ok), ok).toBe(true);
    const refused = [
      '/tools/ping/execute',
      '/runner/channel',
      '/runner/../tools/ping/execute',
      '/runner/%2e%2e/tools/ping/execute',
      '/runner/./claim',
      '/runner//claim/..',
      'runner/claim',
      '/runnerx/claim',
      '/runner/claim#x',
      `/runner/${'a'.repeat(600)}`,
      '//evil.example/runner/claim',
    ];
    for (const bad of refused) expect(isRunnerPath(bad), bad).toBe(false);
  });

  it('refuse heads that are not requests, with the reason', () => {
    expect(readRequestHead(null)).toMatch(/not an object/);
    expect(readRequestHead({ method: 'POST', path: '/runner/claim', headers: {} })).toMatch(/no request id/);
    expect(readRequestHead({ id: -1, method: 'POST', path: '/runner/claim', headers: {} })).toMatch(/no request id/);
    expect(readRequestHead({ id: 1, method: 'DELETE', path: '/runner/claim', headers: {} })).toMatch(/GET and POST/);
    expect(readRequestHead({ id: 1, method: 'POST', path: '/runner/claim', headers: { a: 1 } })).toMatch(/string values/);
    expect(readRequestHead({ id: 1, method: 'POST', path: '/runner/claim', headers: { 'bad name': 'x' } })).toMatch(/string values/);
    expect(readRequestHead({ id: 1, method: 'POST', path: '/runner/claim', headers: { a: 'x'.repeat(9000) } })).toMatch(/exceed/);
    expect(readRequestHead({ id: 3, abort: true })).toEqual({ id: 3, abort: true });
    expect(splitFrame('no head line')).toBeUndefined();
    expect(splitFrame('{bad json\n')).toBeUndefined();
  });

  it('read answer heads and refuse what is not one', () => {
    expect(readAnswerHead({ id: 1, status: 200, headers: ['content-type', 'application/json'] })).toEqual({
      id: 1,
      status: 200,
      headers: ['content-type', 'application/json'],
    });
    expect(readAnswerHead({ id: 1, status: 99, headers: [] })).toBeUndefined();
    expect(readAnswerHead({ id: 1, status: 200, headers: [1] })).toBeUndefined();
    expect(readAnswerHead({ id: 'x', status: 200, headers: [] })).toBeUndefined();
  });
});
