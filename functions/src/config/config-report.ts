/** The effective API configuration for GET /config: each setting's value and where it came from, secrets redacted. */
import type { ConfigWarning } from '../../shared/config/clamp';
import { parseEnv } from '../../shared/config/env-schema';
import { REDACTED, shouldRedact } from './redact';
import type { ConfigSource } from '../../shared/node/resolve-config';
import { ApiEnvSchema } from './settings';

export type ConfigValue = string | number | boolean | null | Readonly<Record<string, number>>;

export interface ConfigEntry {
  key: string;
  value: ConfigValue;
  source: ConfigSource;
  redacted: boolean;
}

export interface ConfigReport {
  file: string | null;
  settings: ConfigEntry[];
  warnings: ConfigWarning[];
}

export interface ConfigOrigin {
  /** Where each key came from (resolveConfig); keys missing here and present in the values count as env. */
  sources?: Readonly<Record<string, ConfigSource>> | undefined;
  warnings?: readonly ConfigWarning[] | undefined;
}

function asValue(v: unknown): ConfigValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return v as Readonly<Record<string, number>>;
}

/** Build the report from the (already clamped) values the API parsed its settings from. */
export function buildConfigReport(values: Readonly<Record<string, string | undefined>>, origin: ConfigOrigin = {}): ConfigReport {
  const parsed: Record<string, unknown> = parseEnv(ApiEnvSchema, values);
  const settings = Object.keys(ApiEnvSchema.shape)
    .sort()
    .map((key): ConfigEntry => {
      const set = values[key] !== undefined && values[key] !== '';
      const source: ConfigSource = set ? (origin.sources?.[key] ?? 'env') : 'default';
      const value = asValue(parsed[key]);
      const redacted = value !== null && shouldRedact(key, value);
      return { key, value: redacted ? REDACTED : value, source, redacted };
    });
  const file = values['MCP_CONFIG_FILE'];
  return { file: file === undefined || file === '' ? null : file, settings, warnings: [...(origin.warnings ?? [])] };
}
