import { execFileSync } from 'node:child_process';

/** End-to-end tests run the built files: build once before any test file. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
