// Types for dev-env.mjs (plain JavaScript so `npm start` needs no TypeScript loader); bench/npm-start.ts imports it.
import type { ChildProcess } from 'node:child_process';

type Env = Readonly<Record<string, string | undefined>>;

export interface DevTokens {
  client: string;
  runner: string;
  admin: string;
}

export const NODE_FLAGS: readonly string[];
export const SHIM_NODE_FLAGS: readonly string[];
export function devTokens(stateDir: string): DevTokens;
export function sharedEnv(env?: Env): Record<string, string>;
export function apiEnv(o: { stateDir: string; port: number; env?: Env }): Record<string, string>;
export function runnerEnv(o: { apiUrl: string; runnerToken: string; caFile?: string | undefined; env?: Env }): Record<string, string>;
export function startChild(o: { dist: string; stateDir: string; name: string; script: string; env: Record<string, string>; baseEnv?: Env }): ChildProcess;
export function shimServerConfig(o: { dist: string; apiUrl: string; clientToken: string; caFile?: string | undefined }): {
  command: string;
  args: string[];
  env: Record<string, string>;
};
