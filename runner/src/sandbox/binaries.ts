import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute paths of the tool binaries, resolved once at start-up; never looked up per call. */
export type BinaryPaths = ReadonlyMap<string, string>;

export function resolveBinaries(names: readonly string[], dirs: readonly string[]): BinaryPaths {
  const found = new Map<string, string>();
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        if (!statSync(candidate).isFile()) continue;
        found.set(name, realpathSync(candidate));
        break;
      } catch {
        // not in this directory
      }
    }
  }
  return found;
}
