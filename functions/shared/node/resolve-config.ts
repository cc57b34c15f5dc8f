/**
 * Effective configuration: environment > file (MCP_CONFIG_FILE) > defaults (the schemas'). Numbers outside
 * their safe range are clamped here and reported as warnings for the entry to log once. Runtime-neutral: the
 * entry reads the file and hands its text in; the API and the runner both resolve their settings this way.
 */
import { type ConfigWarning, clampConfig } from '../config/clamp';
import { parseConfigFile } from './config-file';

export type ConfigSource = 'env' | 'file' | 'default';

export interface ResolvedConfig {
  /** Environment-style values for the schemas: every non-empty env variable plus the file's keys. */
  values: Record<string, string | undefined>;
  /** Where each set key came from; a key absent here takes its default. */
  sources: Record<string, Exclude<ConfigSource, 'default'>>;
  warnings: ConfigWarning[];
  /** The file that was read, if any. */
  file: string | undefined;
}

export interface ConfigInput {
  env: Readonly<Record<string, string | undefined>>;
  /** The file named by MCP_CONFIG_FILE, read by the entry. */
  file?: { path: string; text: string } | undefined;
}

export function resolveConfig(input: ConfigInput): ResolvedConfig {
  const fromFile = input.file ? parseConfigFile(input.file.text, input.file.path) : {};
  const values: Record<string, string | undefined> = {};
  const sources: ResolvedConfig['sources'] = {};
  for (const [key, value] of Object.entries(fromFile)) {
    values[key] = value;
    sources[key] = 'file';
  }
  // An empty variable counts as unset, as in the schemas: it does not hide the file's value.
  for (const [key, value] of Object.entries(input.env)) {
    if (value === undefined || value === '') continue;
    values[key] = value;
    sources[key] = 'env';
  }
  const clamped = clampConfig(values);
  return { values: clamped.values, sources, warnings: clamped.warnings, file: input.file?.path };
}
