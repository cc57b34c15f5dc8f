import type { ServerType } from '@hono/node-server';
import type { AppDeps } from '../src/deps';
import { drainJobs } from './drain';

/** After the jobs are done: time for the last responses to flush before open streams (SSE) are cut. */
const FLUSH_MS = 1000;
/**
 * A repeat inside this window is the same stop request, not a second one: a terminal's Ctrl-C reaches the whole
 * process group while a supervisor (npm, scripts/dev.mjs) forwards a signal of its own a few ms later.
 */
export const REPEAT_WINDOW_MS = 1000;

export interface ShutdownOptions {
  /** `broker` tells drain whether jobs are this process's to end (memory) or shared (docs/design.md, "Broker"). */
  deps: Pick<AppDeps, 'jobs' | 'lifecycle' | 'logger'> & Partial<Pick<AppDeps, 'broker'>>;
  server: ServerType;
  graceMs: number;
  /** Once the jobs are drained, before the server closes: connections the server does not track (runner channels). */
  beforeClose?: () => void;
  /** Last step before exit (close the audit file). */
  onClosed?: () => void;
  /** Write out buffered log lines (pino's async destination) so the last ones are not lost at exit. */
  flushLogs?: (done: () => void) => void;
  exit?: (code: number) => void;
}

/** Stop listening, let responses in flight finish, then cut what is left (keep-alive sockets, event streams). */
function closeServer(server: ServerType): Promise<void> {
  const http = 'closeIdleConnections' in server ? server : undefined;
  return new Promise((resolve) => {
    const idle = setInterval(() => http?.closeIdleConnections(), 50);
    const cut = setTimeout(() => {
      http?.closeAllConnections();
      done();
    }, FLUSH_MS);
    function done(): void {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    }
    server.close(done);
    http?.closeIdleConnections();
  });
}

/** Run `then` once the logs are flushed, or after a short wait if flushing hangs. */
function flushThen(flush: ShutdownOptions['flushLogs'], then: () => void): void {
  if (!flush) return then();
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    then();
  };
  setTimeout(once, 500);
  flush(once);
}

/**
 * SIGTERM/SIGINT: drain (see drain.ts) for at most `graceMs`, close the server and exit 0.
 * The server keeps listening while draining, so new calls get a clear 503 rather than a refused connection.
 * A second signal (more than REPEAT_WINDOW_MS after the first) exits at once (130).
 */
export function installShutdown(options: ShutdownOptions): void {
  const { deps, server, graceMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < REPEAT_WINDOW_MS) {
        deps.logger.info({ signal }, 'signal repeated at once: same stop request, still draining');
        return;
      }
      deps.logger.warn({ signal }, 'second signal: exiting now');
      exit(130);
      return;
    }
    firstAt = Date.now();
    deps.logger.info({ signal, graceMs }, 'shutting down');
    void drainJobs(deps, graceMs)
      .then(() => {
        options.beforeClose?.();
        return closeServer(server);
      })
      .then(
        () => {
          options.onClosed?.();
          deps.logger.info({}, 'stopped');
          flushThen(options.flushLogs, () => exit(0));
        },
        (err: unknown) => {
          deps.logger.error({ err }, 'shutdown failed');
          exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
