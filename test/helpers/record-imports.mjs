// Preload for a process under test (NODE_OPTIONS="--import <this file>"): appends every ES module URL it resolves to
// the file RECORD_IMPORTS_FILE names, so a test can tell what a process loaded at start-up and what only later.
import { register } from 'node:module';
import process from 'node:process';

if (process.env.RECORD_IMPORTS_FILE) {
  register('./record-imports-hooks.mjs', { parentURL: import.meta.url, data: { file: process.env.RECORD_IMPORTS_FILE } });
}
