import { z } from '@hono/zod-openapi';

/**
 * The parts of POST /tools/{name}/execute besides the tool's parameters (routes/tool-schemas.ts): the route
 * documents and validates them (routes/tool-execute.ts), and /mcp's direct tool calls validate their Idempotency-Key
 * with the very same schema (direct-call.ts), so a bad key is refused with the same envelope both ways.
 */
export const executeQuerySchema = z.object({
  async: z.enum(['true', 'false']).optional().describe('true: answer 202 with the job at once (same as Prefer: respond-async).'),
});

export const executeHeadersSchema = z.object({
  prefer: z.string().max(256).optional(),
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/)
    .optional()
    .describe('Retrying with the same key reattaches to the running job instead of starting another.'),
});
