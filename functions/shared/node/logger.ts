import { fstatSync } from 'node:fs';
import { type Logger as PinoLogger, pino } from 'pino';
import { pinoLevel } from '../config/log-level';
import type { Logger } from '../logger';
import { traceLogFields } from '../telemetry/log-fields';

export type { Logger };

/**
 * Whether log lines to `fd` are written synchronously: yes when it is a regular file (`npm start` appends each
 * process's stderr to one, scripts/dev-env.mjs), where a write(2) on the event loop costs less CPU than pino's default,
 * which hands every line to libuv's thread pool and takes a callback back (issue 12: ~20 µs of CPU less per line on
 * a 2-core VM, three request lines per REST call). A file never fills up the way a pipe does, so a synchronous write
 * cannot hold the loop on a slow reader; pipes, terminals and sockets (containers, supervisors) stay asynchronous.
 * The lines on a call's path are written after its answer anyway (docs/design.md, "Log writes off the call path").
 */
export function writesSyncTo(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * The one pino set-up of the Node entries (API and runner): JSON on stderr; lines written inside a span carry its
 * trace_id and span_id. Returns pino's own type so the entries can flush it at shutdown.
 */
export function createLogger(name: string, level: string): PinoLogger & Logger {
  return pino({ name, level: pinoLevel(level), mixin: traceLogFields }, pino.destination({ dest: 2, sync: writesSyncTo(2) }));
}
