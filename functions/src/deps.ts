import type { TokenVerifier } from './auth/tokens';
import type { ApiSettings } from './config/settings';
import type { JobStore } from './jobs/store';
import type { TargetPolicy } from './policy/target-policy';
import type { AnyToolDefinition } from './tools/types';

/** Minimal structured logger; pino satisfies it in the Node entry. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything the app needs from outside; the entry files build it. */
export interface AppDeps {
  settings: ApiSettings;
  policy: TargetPolicy;
  tools: readonly AnyToolDefinition[];
  tokens: TokenVerifier;
  jobs: JobStore;
  logger: Logger;
  version: string;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
