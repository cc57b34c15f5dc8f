import type { RouteConfig } from '@hono/zod-openapi';
import { type ErrorStatus } from '../../shared/errors/codes';
import { ErrorBodySchema } from '../../shared/errors/error-body';

const DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid parameters (VALIDATION_ERROR)',
  401: 'Missing or unknown bearer token (UNAUTHORIZED)',
  403: 'Token lacks the scope, or the target is not allowed (FORBIDDEN, FORBIDDEN_TARGET)',
  404: 'No such tool, job or binary (NOT_FOUND)',
  409: 'Cancelled, or the lease is no longer held (CANCELLED, LEASE_CONFLICT)',
  429: 'Rate limited (RATE_LIMITED)',
  500: 'Unexpected error (UNKNOWN)',
  502: 'The tool ran and failed (EXECUTION_ERROR)',
  503: 'No runner, queue full or breaker open (NO_RUNNER, RESOURCE_EXHAUSTED, CIRCUIT_BREAKER_OPEN)',
  504: 'The call passed its deadline (TIMEOUT)',
};

/** The error envelope declared for each given status, for a route's `responses`. */
export function errorResponses(...statuses: ErrorStatus[]): RouteConfig['responses'] {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: DESCRIPTIONS[s], content: { 'application/json': { schema: ErrorBodySchema } } }]),
  );
}

export const jsonBody = <T>(schema: T, description = 'OK'): { description: string; content: { 'application/json': { schema: T } } } => ({
  description,
  content: { 'application/json': { schema } },
});

export const bearer = [{ bearerAuth: [] }];
