/**
 * The configuration file (MCP_CONFIG_FILE, YAML or JSON), parsed into flat environment-style keys so that the
 * file and the environment go through the same schemas. Runtime-neutral: the entries read the file, this
 * parses its text. Two forms, mixable in one file:
 *   flat:      MCP_SERVER_PORT: 8080
 *   sections:  server: { port: 8080 }     (docs/design.md, "Configuration"; mapped by FILE_SECTIONS)
 * Scalars become strings, lists are joined with commas, and a mapping under a flat key becomes
 * "name=value,…" (e.g. MCP_RATE_LIMITS: { nmap: 2 }). Anything else names the offending key in a ConfigError.
 */
import { createRequire } from 'node:module';
import type { parse as ParseYaml } from 'yaml';
import { ConfigError } from '../config/env-schema';

/** The YAML parser, loaded only when a YAML file is named: a process without one never reads the package (issue 12). */
const parseYaml = (text: string, options: { prettyErrors: boolean; maxAliasCount: number }): unknown =>
  (createRequire(import.meta.url)('yaml') as { parse: typeof ParseYaml }).parse(text, options);

/** File sections (docs/design.md, "Configuration") → environment names. */
export const FILE_SECTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  server: { host: 'MCP_SERVER_HOST', port: 'MCP_SERVER_PORT', max_args_len: 'MCP_MAX_ARGS_LEN' },
  security: { allow_intrusive: 'MCP_ALLOW_INTRUSIVE', allowed_targets: 'MCP_ALLOWED_TARGETS', allow_loopback: 'MCP_ALLOW_LOOPBACK' },
  tool: { default_timeout: 'MCP_DEFAULT_TIMEOUT_SEC', default_concurrency: 'MCP_DEFAULT_CONCURRENCY', include: 'TOOL_INCLUDE', exclude: 'TOOL_EXCLUDE' },
  circuit_breaker: { threshold: 'MCP_CIRCUIT_BREAKER_THRESHOLD', recovery_timeout: 'MCP_CIRCUIT_BREAKER_RECOVERY_SEC' },
  rate_limit: { per_minute: 'MCP_RATE_LIMIT_PER_MINUTE', tools: 'MCP_RATE_LIMITS' },
  logging: { level: 'LOG_LEVEL' },
};

const FLAT_KEY = /^[A-Z][A-Z0-9_]{0,127}$/;
const MAP_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One value as the environment would carry it; undefined for null (= not set). */
function flatten(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (isScalar(value)) return String(value);
  if (Array.isArray(value)) {
    if (!value.every(isScalar)) throw new ConfigError(`${key}: a list may hold only plain values`);
    return value.map(String).join(',');
  }
  if (isMapping(value)) {
    return Object.entries(value)
      .map(([name, v]) => {
        if (!MAP_NAME.test(name) || !isScalar(v)) throw new ConfigError(`${key}.${name}: expected name: value with a plain value`);
        return `${name}=${String(v)}`;
      })
      .join(',');
  }
  throw new ConfigError(`${key}: unsupported value`);
}

/** The document as a mapping: `.json` files with JSON.parse, anything else as YAML (a superset of JSON). */
function parseDocument(text: string, path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = path.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, maxAliasCount: 50 });
  } catch (err) {
    throw new ConfigError(
      `MCP_CONFIG_FILE: ${path} is not valid ${path.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
  if (doc === null || doc === undefined) return {};
  if (!isMapping(doc)) throw new ConfigError(`MCP_CONFIG_FILE: ${path} must hold a mapping of settings at the top level`);
  return doc;
}

/** Parse a configuration file's text into environment-style keys. */
export function parseConfigFile(text: string, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (envKey: string, shownAs: string, value: unknown): void => {
    if (envKey === 'MCP_CONFIG_FILE') throw new ConfigError(`${shownAs}: the configuration file cannot name another one`);
    if (Object.hasOwn(out, envKey)) throw new ConfigError(`${shownAs}: ${envKey} is set twice in ${path}`);
    const flat = flatten(shownAs, value);
    if (flat !== undefined) out[envKey] = flat;
  };
  for (const [key, value] of Object.entries(parseDocument(text, path))) {
    const section = Object.hasOwn(FILE_SECTIONS, key) ? FILE_SECTIONS[key] : undefined;
    if (section) {
      if (value === null) continue;
      if (!isMapping(value)) throw new ConfigError(`${key}: expected a section (a mapping of ${Object.keys(section).join(', ')})`);
      for (const [sub, subValue] of Object.entries(value)) {
        const envKey = Object.hasOwn(section, sub) ? section[sub] : undefined;
        if (!envKey) throw new ConfigError(`${key}.${sub}: unknown setting (known: ${Object.keys(section).join(', ')})`);
        put(envKey, `${key}.${sub}`, subValue);
      }
    } else if (FLAT_KEY.test(key)) {
      put(key, key, value);
    } else {
      throw new ConfigError(
        `${key}: unknown key in ${path} (use environment names such as MCP_SERVER_PORT, or the sections ${Object.keys(FILE_SECTIONS).join(', ')})`,
      );
    }
  }
  return out;
}
