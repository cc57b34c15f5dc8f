import { z } from 'zod';
import type { ExactOptional } from '../types/exact-optional';
import { ERROR_CODES } from './codes';

/** An error as it travels: API envelope, runner outcome, shim result. Public fields only (docs/design.md, "Errors"). */
export const ErrorInfoSchema = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string().max(4096),
    recoverySuggestion: z.string().max(4096),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ErrorInfo' });

export type ErrorInfo = ExactOptional<z.infer<typeof ErrorInfoSchema>>;
