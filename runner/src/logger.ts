import { pino } from 'pino';
import { pinoLevel } from '../../functions/src/config/log-level';
import type { Logger } from '../../functions/src/deps';
import { traceLogFields } from '../../functions/src/telemetry/log-fields';

export type { Logger };

/** JSON logs on stderr; lines written inside a span (a job) carry its trace_id and span_id. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level: pinoLevel(level), mixin: traceLogFields }, pino.destination(2));
}
