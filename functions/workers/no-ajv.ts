/**
 * What the Worker's bundle gets for `ajv` and `ajv-formats` (wrangler.toml, `[alias]`): the MCP SDK imports them for
 * its default JSON Schema validator, which this server never builds (functions/mcp/no-schema-validator.ts; docs/design.md,
 * "MCP"). Ajv, its formats and fast-uri were ~290 KB of the 2 MB Worker, parsed at every isolate start. Used, it throws.
 */
export default function noAjv(): never {
  throw new Error('Ajv is not in the Worker bundle: this MCP server validates no JSON Schema through the SDK.');
}
