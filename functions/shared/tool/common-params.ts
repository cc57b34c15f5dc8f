import { z } from 'zod';

/**
 * A target as the schema sees it: a bounded string over the characters any IP, CIDR or hostname needs.
 * Shell metacharacters, whitespace, NUL, '%' and '@' fail here; the target policy decides the rest.
 */
export const targetParam = (what: string): z.ZodString =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:/-]+$/, 'only letters, digits, ".", ":", "/" and "-" are allowed')
    .describe(what);

/** Per-call deadline override, bounded by the tool's maximum. */
export const timeoutParam = (max: number): z.ZodOptional<z.ZodNumber> =>
  z.number().int().min(1).max(max).optional().describe(`Deadline for this call in seconds (1-${max}); the tool's default applies when omitted.`);

/** Flag for results cut at the output cap. */
export const truncatedField = z.boolean().describe('True when output reached the size cap and was cut.');
