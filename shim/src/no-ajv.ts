/**
 * Stand-in for the SDK's Ajv-based JSON Schema validator in the shim bundle (see scripts/build.mjs).
 * The SDK uses it only to validate elicitation answers and tool outputs on the client side; the shim
 * does neither, and the API validates every result against its schema before the shim sees it.
 */
export class AjvJsonSchemaValidator {
  getValidator(): (input: unknown) => { valid: boolean; data: unknown; errorMessage: string | undefined } {
    return (input) => ({ valid: false, data: input, errorMessage: 'JSON Schema validation is not available in the netdiag shim' });
  }
}
