/**
 * Spans finished while one test file runs: the shim's lite tracer (no SDK) registered as the global provider before
 * the file's tests and removed after them. For unit tests of code that makes spans through @opentelemetry/api.
 */
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll } from 'vitest';
import type { FinishedSpan } from '../../shim/src/telemetry/lite/lite-span';
import { LiteTracerProvider } from '../../shim/src/telemetry/lite/lite-tracer';

export function collectLiteSpans(): FinishedSpan[] {
  const spans: FinishedSpan[] = [];
  beforeAll(() => {
    trace.setGlobalTracerProvider(new LiteTracerProvider((s) => spans.push(s)));
  });
  afterAll(() => {
    trace.disable();
  });
  return spans;
}
