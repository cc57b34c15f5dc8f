import { z } from 'zod';
import type { AnyToolDefinition } from '../../shared/tool/definition';

const pascal = (name: string): string => name.replace(/(^|[-_])([a-z])/g, (_m, _s, ch: string) => ch.toUpperCase());

/**
 * The 200 body of a tool call whose job succeeded, for any tool; each tool's response schema (below) narrows `tool`
 * and `result`. tool-call/ended-job.ts builds it; resolvedAddress only when the runner reported one.
 */
const succeededBodySchema = z.object({
  jobId: z.string(),
  tool: z.string(),
  status: z.literal('succeeded'),
  durationMs: z.number().describe('Time the runner spent executing, in milliseconds.'),
  resolvedAddress: z.string().optional().describe('The address the runner pinned and probed.'),
  result: z.record(z.string(), z.unknown()),
});
type SucceededFields = Omit<z.output<typeof succeededBodySchema>, 'resolvedAddress'>;
/** As a union, not an optional property: hono's typed JSON answer takes no property that may be undefined. */
export type SucceededBody = SucceededFields | (SucceededFields & { resolvedAddress: string });

const cache = new Map<AnyToolDefinition, { params: z.ZodObject; response: z.ZodObject }>();

/** Named OpenAPI components for a tool, built once per definition (zod ids must be unique per process). */
function schemasFor(def: AnyToolDefinition): { params: z.ZodObject; response: z.ZodObject } {
  let entry = cache.get(def);
  if (!entry) {
    const name = pascal(def.name);
    entry = {
      params: def.params.meta({ id: `${name}Params` }),
      response: succeededBodySchema
        .extend({ tool: z.literal(def.name), result: def.result.meta({ id: `${name}Result` }) })
        .meta({ id: `${name}ExecuteResponse` }),
    };
    cache.set(def, entry);
  }
  return entry;
}

export const paramsSchema = (def: AnyToolDefinition): z.ZodObject => schemasFor(def).params;
export const executeResponseSchema = (def: AnyToolDefinition): z.ZodObject => schemasFor(def).response;
