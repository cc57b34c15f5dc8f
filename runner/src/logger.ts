import { pino } from 'pino';
import { pinoLevel } from '../../functions/src/config/log-level';
import type { Logger } from '../../functions/src/deps';

export type { Logger };

/** JSON logs on stderr. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level: pinoLevel(level) }, pino.destination(2));
}
