import type { RouteConfig } from '@hono/zod-openapi';
import { ERROR_CODES, type ErrorStatus, HTTP_STATUS_BY_CODE, errorInfo } from '../../shared/errors/codes';
import { ErrorBodySchema } from '../../shared/errors/error-body';

/** What each status means in words; which codes answer with it comes from the one table in functions/shared/errors/codes.ts. */
const SUMMARIES: Record<ErrorStatus, string> = {
  400: 'Invalid parameters',
  401: 'Missing or unknown bearer token',
  403: 'Token lacks the scope, or the target is not allowed',
  404: 'No such tool, job or binary',
  409: 'Cancelled, or the lease is no longer held',
  429: 'Rate limited',
  500: 'Unexpected error',
  502: 'The tool ran and failed, or an upstream could not be reached',
  503: 'No runner, queue full or breaker open',
  504: 'The call passed its deadline',
};

const codesAnswering = (status: ErrorStatus): string => ERROR_CODES.filter((c) => HTTP_STATUS_BY_CODE[c] === status).join(', ');

const description = (status: ErrorStatus): string => `${SUMMARIES[status]} (${codesAnswering(status)})`;

/** An example body for a status: its first code with that code's own recovery suggestion (docs, generated clients). */
const example = (status: ErrorStatus): object => {
  const code = ERROR_CODES.find((c) => HTTP_STATUS_BY_CODE[c] === status) ?? 'UNKNOWN';
  return { error: { ...errorInfo(code, `${SUMMARIES[status]}.`), requestId: 'b7e9c6a2-0f3d-4c1e-9a55-2d8f1e4c7a10' } };
};

/** The error envelope declared for each given status, for a route's `responses`, with an example. */
export function errorResponses(...statuses: ErrorStatus[]): RouteConfig['responses'] {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: description(s), content: { 'application/json': { schema: ErrorBodySchema, example: example(s) } } }]),
  );
}

/** A JSON success body; the example (documentation only, nothing is sent) shows in Swagger UI and generated clients. */
export const jsonBody = <T>(
  schema: T,
  description = 'OK',
  example?: unknown,
): { description: string; content: { 'application/json': { schema: T; example?: unknown } } } => ({
  description,
  content: { 'application/json': example === undefined ? { schema } : { schema, example } },
});

/** A required JSON request body, its example (documentation only) as in `jsonBody`. */
export const jsonRequest = <T>(schema: T, example?: unknown): { required: true; content: { 'application/json': { schema: T; example?: unknown } } } => ({
  required: true,
  content: { 'application/json': example === undefined ? { schema } : { schema, example } },
});

export const bearer = [{ bearerAuth: [] }];
