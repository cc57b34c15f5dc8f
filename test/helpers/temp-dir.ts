import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set by test/global-setup.ts: the file where this run's test processes list the temp dirs they made. */
export const TEMP_LIST_ENV = 'NETDIAG_TEST_TEMP_LIST';

/**
 * A fresh directory under the system temp dir that is removed after the run: helpers that hand out files (tokens,
 * audit logs, recording binaries) cannot know when the last test using them is done, and a full run left ~2,800 of
 * them behind. Under vitest the dir is listed in this run's file and the global teardown removes it (test workers
 * are ended without their exit handlers running); elsewhere (benches) it goes when the process exits.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const list = process.env[TEMP_LIST_ENV];
  if (list) appendFileSync(list, `${dir}\n`);
  else process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Remove every dir listed in `list`, then the list (the global teardown). */
export function removeListedTempDirs(list: string): void {
  let listed: string;
  try {
    listed = readFileSync(list, 'utf8');
  } catch {
    return;
  }
  for (const dir of listed.split('\n')) if (dir.startsWith(tmpdir())) rmSync(dir, { recursive: true, force: true });
  rmSync(list, { force: true });
}
