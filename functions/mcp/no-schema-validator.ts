import type { JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';

/**
 * The JSON Schema validator this MCP server gives the SDK's `Server`, instead of its default Ajv one.
 *
 * The SDK uses it only in `Server.elicitInput`, to check a form answer against the schema asked for. This server never
 * calls that: the one question it asks (confirm-intrusive.ts) goes out with `sendRequest`, and its answer is checked by
 * the code that asked (`confirm === true`, anything else is a decline). The default would build an Ajv instance with
 * its formats for every session: ~4.5 ms for the first and 0.4–0.7 ms for each later one, per /mcp session, and Ajv
 * itself in memory (docs/design.md, "MCP"). So any use refuses, and the builds (scripts/build.mjs) put this class where
 * the SDK imports its Ajv one, so neither the shim nor the API loads Ajv.
 */
export class NoSchemaValidator implements jsonSchemaValidator {
  getValidator<T>(): JsonSchemaValidator<T> {
    return () => ({
      valid: false,
      data: undefined,
      errorMessage: 'this MCP server validates no JSON Schema through the SDK (functions/mcp/no-schema-validator.ts)',
    });
  }
}
