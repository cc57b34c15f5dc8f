import { z } from 'zod';
import type { AnyToolDefinition } from '../../shared/tool/definition';

const pascal = (name: string): string => name.replace(/(^|[-_])([a-z])/g, (_m, _s, ch: string) => ch.toUpperCase());

const cache = new Map<AnyToolDefinition, { params: z.ZodObject; response: z.ZodObject }>();

/** Named OpenAPI components for a tool, built once per definition (zod ids must be unique per process). */
function schemasFor(def: AnyToolDefinition): { params: z.ZodObject; response: z.ZodObject } {
  let entry = cache.get(def);
  if (!entry) {
    const name = pascal(def.name);
    entry = {
      params: def.params.meta({ id: `${name}Params` }),
      response: z
        .object({
          jobId: z.string(),
          tool: z.literal(def.name),
          status: z.literal('succeeded'),
          durationMs: z.number().describe('Time the runner spent executing, in milliseconds.'),
          resolvedAddress: z.string().optional().describe('The address the runner pinned and probed.'),
          result: def.result.meta({ id: `${name}Result` }),
        })
        .meta({ id: `${name}ExecuteResponse` }),
    };
    cache.set(def, entry);
  }
  return entry;
}

export const paramsSchema = (def: AnyToolDefinition): z.ZodObject => schemasFor(def).params;
export const executeResponseSchema = (def: AnyToolDefinition): z.ZodObject => schemasFor(def).response;
