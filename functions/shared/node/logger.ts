import { type Logger as PinoLogger, pino } from 'pino';
import { pinoLevel } from '../config/log-level';
import type { Logger } from '../logger';
import { traceLogFields } from '../telemetry/log-fields';

export type { Logger };

/**
 * The one pino set-up of the Node entries (API and runner): JSON on stderr; lines written inside a span carry its
 * trace_id and span_id. Returns pino's own type so the entries can flush it at shutdown.
 */
export function createLogger(name: string, level: string): PinoLogger & Logger {
  return pino({ name, level: pinoLevel(level), mixin: traceLogFields }, pino.destination(2));
}
