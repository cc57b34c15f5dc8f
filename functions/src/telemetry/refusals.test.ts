import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { refusedCall } from './refusals';

const isTool = (name: string): boolean => ['ping', 'dig'].includes(name);

describe('refusedCall: tool calls refused before any job exists', () => {
  it('names a schema failure, a policy refusal with its reason, and an oversized body', () => {
    expect(refusedCall('POST', '/tools/ping/execute', ApiError.of('VALIDATION_ERROR', 'bad', { details: { issues: [] } }), isTool)).toEqual({
      tool: 'ping',
      code: 'VALIDATION_ERROR',
      validationReason: 'schema',
    });
    expect(refusedCall('POST', '/tools/ping/execute', ApiError.of('FORBIDDEN_TARGET', 'no', { details: { reason: 'denied_range' } }), isTool)).toEqual({
      tool: 'ping',
      code: 'FORBIDDEN_TARGET',
      validationReason: 'denied_range',
    });
    expect(
      refusedCall('POST', '/tools/dig/execute', ApiError.of('VALIDATION_ERROR', 'big', { details: { field: 'body', maxBytes: 2048 } }), isTool)
        ?.validationReason,
    ).toBe('args_too_large');
    expect(refusedCall('POST', '/tools/dig/execute', new HTTPException(400, { message: 'Malformed JSON' }), isTool)).toEqual({
      tool: 'dig',
      code: 'VALIDATION_ERROR',
      validationReason: 'malformed',
    });
  });

  it('counts rate limits and a full queue, without a validation reason', () => {
    expect(refusedCall('POST', '/tools/dig/execute', ApiError.of('RATE_LIMITED', 'slow down'), isTool)).toEqual({
      tool: 'dig',
      code: 'RATE_LIMITED',
      validationReason: undefined,
    });
    expect(refusedCall('POST', '/tools/ping/execute', ApiError.of('RESOURCE_EXHAUSTED', 'full'), isTool)?.code).toBe('RESOURCE_EXHAUSTED');
    // Refused at once because no connected runner offers the tool; the queue-wait NO_RUNNER names its job.
    expect(refusedCall('POST', '/tools/dig/execute', ApiError.of('NO_RUNNER', 'none offers dig'), isTool)?.code).toBe('NO_RUNNER');
    expect(refusedCall('POST', '/tools/dig/execute', ApiError.of('NO_RUNNER', 'waited', { details: { jobId: 'j1' } }), isTool)).toBeUndefined();
  });

  it('leaves out what a job end counts, what is not a tool call, and callers without a token', () => {
    expect(refusedCall('POST', '/tools/ping/execute', ApiError.of('TIMEOUT', 'late', { details: { jobId: 'j1' } }), isTool)).toBeUndefined();
    expect(refusedCall('POST', '/tools/ping/execute', ApiError.of('VALIDATION_ERROR', 'odd', { details: { jobId: 'j1' } }), isTool)).toBeUndefined();
    expect(refusedCall('POST', '/tools/ping/execute', ApiError.of('CANCELLED', 'gone'), isTool)).toBeUndefined();
    expect(refusedCall('POST', '/tools/ping/execute', ApiError.of('UNAUTHORIZED', 'who'), isTool)).toBeUndefined();
    expect(refusedCall('POST', '/tools/nope/execute', ApiError.of('VALIDATION_ERROR', 'x'), isTool)).toBeUndefined();
    expect(refusedCall('GET', '/tools/ping', ApiError.of('NOT_FOUND', 'x'), isTool)).toBeUndefined();
    expect(refusedCall('POST', '/tools/ping/execute', undefined, isTool)).toBeUndefined();
    expect(refusedCall('POST', '/tools/ping/execute', new Error('crash'), isTool)).toBeUndefined();
  });

  it('keeps label values bounded: an odd reason becomes "policy"', () => {
    expect(
      refusedCall('POST', '/tools/ping/execute', ApiError.of('VALIDATION_ERROR', 'x', { details: { reason: 'Not A Reason!' } }), isTool)?.validationReason,
    ).toBe('policy');
  });
});
