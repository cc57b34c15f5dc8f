import { z } from 'zod';
import type { ValidationResult } from './validation-hook';

export type PartTarget = 'query' | 'param' | 'header' | 'json';
export type ParsedPart = z.ZodSafeParseResult<unknown>;

/** zod's synchronous parse; a schema with an async refinement or transform throws for it, and is parsed async instead. */
function parse(schema: z.ZodType, value: unknown): ParsedPart | Promise<ParsedPart> {
  try {
    return schema.safeParse(value);
  } catch (err) {
    if (err instanceof z.core.$ZodAsyncError) return schema.safeParseAsync(value);
    throw err;
  }
}

function handOver(target: PartTarget, value: unknown, result: ParsedPart, hook: (result: ValidationResult) => void): ParsedPart {
  hook({ data: value, ...result, target } as ValidationResult);
  return result;
}

/**
 * One part of a request (`target`) checked against its schema and handed to the validation hook, which throws the
 * envelope for a failure (validation-hook.ts). The one-step validator runs it for each part of a REST request
 * (one-step-validator.ts); /mcp's direct tool calls run it on the same schemas (tool-call/direct-call.ts), so a bad
 * argument gets the same VALIDATION_ERROR both ways. Synchronous unless the schema is async: no promise turn per part.
 */
export function validatePart(
  target: PartTarget,
  schema: z.ZodType,
  value: unknown,
  hook: (result: ValidationResult) => void,
): ParsedPart | Promise<ParsedPart> {
  const pending = parse(schema, value);
  return pending instanceof Promise ? pending.then((result) => handOver(target, value, result, hook)) : handOver(target, value, pending, hook);
}
