import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, constants as fsc } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, writesSyncTo } from './logger';

describe('writesSyncTo (issue 12: log lines to a file without the thread-pool hop)', () => {
  let dir: string;
  const fds: number[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'netdiag-logger-'));
  });
  afterEach(() => {
    for (const fd of fds.splice(0)) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is true for a regular file, and a line is in the file as soon as it is logged', () => {
    const fd = openSync(join(dir, 'api.log'), 'a');
    fds.push(fd);
    expect(writesSyncTo(fd)).toBe(true);
    const logger = pino({ name: 't' }, pino.destination({ dest: fd, sync: writesSyncTo(fd) }));
    logger.info({ requestId: 'r1' }, 'request');
    expect(readFileSync(join(dir, 'api.log'), 'utf8')).toContain('"requestId":"r1"');
  });

  it('is false for a pipe, which a slow reader can fill (the write would then hold the event loop)', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // O_RDWR: Linux opens a FIFO this way without waiting for a reader.
    const fd = openSync(fifo, fsc.O_RDWR | fsc.O_NONBLOCK);
    fds.push(fd);
    expect(writesSyncTo(fd)).toBe(false);
  });

  it('is false for a descriptor that is not open', () => {
    const fd = openSync(join(dir, 'gone.log'), 'a');
    closeSync(fd);
    expect(writesSyncTo(fd)).toBe(false);
  });

  it('createLogger writes stderr synchronously exactly when stderr is a regular file', () => {
    const logger = createLogger('netdiag-test', 'info');
    const stream = (logger as unknown as Record<symbol, { sync: boolean }>)[pino.symbols.streamSym];
    expect(stream?.sync).toBe(writesSyncTo(2));
  });
});
