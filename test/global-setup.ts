import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMP_LIST_ENV, removeListedTempDirs } from './helpers/temp-dir';

/**
 * End-to-end tests run the built files: build once before any test file. The test processes inherit the name of
 * this run's temp-dir list (helpers/temp-dir.ts); the teardown removes what they listed.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const list = join(tmpdir(), `netdiag-temp-list-${process.pid}`);
  process.env[TEMP_LIST_ENV] = list;
  return () => removeListedTempDirs(list);
}
