/** Node side of the configuration: read the file MCP_CONFIG_FILE names; parsing and layering stay in the core. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/env-schema';
import { type ResolvedConfig, resolveConfig } from './resolve-config';

/** env > MCP_CONFIG_FILE > defaults, for the API and the runner entries. Throws ConfigError naming the key. */
export function loadResolvedConfig(env: Readonly<Record<string, string | undefined>>): ResolvedConfig {
  const path = env['MCP_CONFIG_FILE'];
  if (path === undefined || path === '') return resolveConfig({ env });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new ConfigError(`MCP_CONFIG_FILE: cannot read ${path} (${reason})`);
  }
  return resolveConfig({ env, file: { path, text } });
}
