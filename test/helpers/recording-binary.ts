import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir';

export interface RecordingBinary {
  /** The directory to put in NETDIAG_BINARY_DIRS. */
  dir: string;
  /** One line per run: the argv it was given. Empty when it never ran. */
  calls(): string[];
  cleanup(): void;
}

/**
 * A stand-in for a tool binary that only writes down its argv and prints `stdout`: tests that must show that nothing
 * was spawned (refusals) use it instead of a real diagnostic binary. The sandbox gives jobs a fixed environment, so
 * the record file's path is written into the script itself.
 */
export function recordingBinary(name: string, stdout = ''): RecordingBinary {
  const dir = tempDir('netdiag-fakebin-');
  const record = join(dir, 'calls.log');
  const script = join(dir, name);
  writeFileSync(script, `#!/bin/sh\necho "$*" >> '${record}'\nprintf '%s' '${stdout.replaceAll("'", '')}'\n`);
  chmodSync(script, 0o755);
  return {
    dir,
    calls: () =>
      existsSync(record)
        ? readFileSync(record, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
