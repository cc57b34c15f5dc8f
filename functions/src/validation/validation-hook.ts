import { ApiError } from '../errors/api-error';

/** What a request validator hands the hook: zod's safeParse result for one part of the request. */
export type ValidationResult = { target: string } & ({ success: true; data: unknown } | { success: false; error: { issues: readonly ValidationIssue[] } });
interface ValidationIssue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * The API's one validation hook (the app's defaultHook, also called by the one-step validator): a request that fails
 * its route's schema is refused with VALIDATION_ERROR naming the first issue, all issues in `details.issues`.
 */
export function validationHook(result: ValidationResult): void {
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    throw ApiError.of('VALIDATION_ERROR', first ? `Invalid ${first.path || 'request'}: ${first.message}` : 'Invalid request.', { details: { issues } });
  }
}
