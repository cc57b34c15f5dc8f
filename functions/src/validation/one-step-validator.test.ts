import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';
import { validationHook } from './validation-hook';
import { ValidatedOpenAPIHono } from './validated-openapi-hono';

/**
 * The one-step validator must answer every request exactly as @hono/zod-openapi's own validators do: the same routes
 * are served by both, and each request's status, headers of interest and body are compared.
 */
const Params = z.strictObject({ target: z.string().min(1).max(10), count: z.number().int().min(1).max(10).default(4) });
const Slow = z.object({ name: z.string() }).refine(async (v) => v.name !== 'taken', 'name is taken');

function routes(app: OpenAPIHono<AppEnv>): OpenAPIHono<AppEnv> {
  app.onError((err, c) => {
    const known =
      err instanceof ApiError
        ? err
        : err instanceof HTTPException && err.status < 500
          ? ApiError.of('VALIDATION_ERROR', err.message || 'Malformed request.')
          : undefined;
    if (!known) return c.json({ unexpected: String(err) }, 500);
    return c.json({ error: known.info, status: err instanceof HTTPException ? err.status : known.status }, known.status);
  });
  app.openapi(
    createRoute({
      method: 'post',
      path: '/items/{id}/run',
      operationId: 'run',
      request: {
        params: z.object({ id: z.string().min(1).max(8) }),
        query: z.object({ async: z.enum(['true', 'false']).optional() }),
        headers: z.object({
          prefer: z.string().max(16).optional(),
          'idempotency-key': z
            .string()
            .regex(/^[a-z0-9-]{1,8}$/)
            .optional(),
        }),
        body: { required: true, content: { 'application/json': { schema: Params } } },
      },
      responses: { 200: { description: 'OK' } },
    }),
    (c) => c.json({ param: c.req.valid('param'), query: c.req.valid('query'), header: c.req.valid('header'), json: c.req.valid('json') }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/slow',
      operationId: 'slow',
      request: { body: { required: true, content: { 'application/json': { schema: Slow } } } },
      responses: { 200: { description: 'OK' } },
    }),
    (c) => c.json({ json: c.req.valid('json') }, 200),
  );
  // Not covered by the one-step validator (an optional body): served by the library's validators in both apps.
  app.openapi(
    createRoute({
      method: 'post',
      path: '/optional',
      operationId: 'optional',
      request: { body: { content: { 'application/json': { schema: z.object({ n: z.number() }) } } } },
      responses: { 200: { description: 'OK' } },
    }),
    (c) => c.json({ json: c.req.valid('json') }, 200),
  );
  return app;
}

const library = routes(new OpenAPIHono<AppEnv>({ defaultHook: validationHook }));
const oneStep = routes(new ValidatedOpenAPIHono());

type Case = { name: string; path: string; headers?: Record<string, string>; body?: string };
const json = { 'content-type': 'application/json' };
const ok = JSON.stringify({ target: 'a', count: 2 });
const CASES: Case[] = [
  { name: 'valid', path: '/items/x1/run', headers: json, body: ok },
  {
    name: 'valid with query and headers',
    path: '/items/x1/run?async=true&other=1',
    headers: { ...json, Prefer: 'respond-async', 'Idempotency-Key': 'k-1' },
    body: ok,
  },
  { name: 'bad query value', path: '/items/x1/run?async=maybe', headers: json, body: ok },
  { name: 'repeated query key', path: '/items/x1/run?async=true&async=false', headers: json, body: ok },
  { name: 'encoded query', path: '/items/x1/run?async=tr%75e', headers: json, body: ok },
  { name: 'path parameter too long', path: '/items/abcdefghijk/run', headers: json, body: ok },
  { name: 'bad header', path: '/items/x1/run', headers: { ...json, 'idempotency-key': 'NOT VALID' }, body: ok },
  { name: 'header too long', path: '/items/x1/run', headers: { ...json, prefer: 'x'.repeat(40) }, body: ok },
  { name: 'query and header both bad', path: '/items/x1/run?async=no', headers: { ...json, 'idempotency-key': '!' }, body: '{' },
  { name: 'charset parameter', path: '/items/x1/run', headers: { 'content-type': 'application/json; charset=utf-8' }, body: ok },
  { name: '+json media type', path: '/items/x1/run', headers: { 'content-type': 'application/vnd.netdiag+json' }, body: ok },
  { name: '+json media type with a digit', path: '/items/x1/run', headers: { 'content-type': 'application/v1+json' }, body: ok },
  { name: 'text/plain', path: '/items/x1/run', headers: { 'content-type': 'text/plain' }, body: ok },
  { name: 'no content type with a body', path: '/items/x1/run', body: ok },
  { name: 'no content type, no body', path: '/items/x1/run' },
  { name: 'JSON content type, no body', path: '/items/x1/run', headers: json },
  { name: 'malformed JSON', path: '/items/x1/run', headers: json, body: '{"target":' },
  { name: 'missing field', path: '/items/x1/run', headers: json, body: '{}' },
  { name: 'unknown field (strict)', path: '/items/x1/run', headers: json, body: JSON.stringify({ target: 'a', extra: 1 }) },
  { name: 'several issues', path: '/items/x1/run', headers: json, body: JSON.stringify({ target: '', count: 99 }) },
  { name: 'array body', path: '/items/x1/run', headers: json, body: '[1,2]' },
  { name: 'null body', path: '/items/x1/run', headers: json, body: 'null' },
  { name: 'async refinement passes', path: '/slow', headers: json, body: JSON.stringify({ name: 'free' }) },
  { name: 'async refinement fails', path: '/slow', headers: json, body: JSON.stringify({ name: 'taken' }) },
  { name: 'async schema, wrong type', path: '/slow', headers: json, body: JSON.stringify({ name: 1 }) },
  { name: 'optional body absent', path: '/optional' },
  { name: 'optional body invalid', path: '/optional', headers: json, body: '{"n":"x"}' },
];

async function answer(app: OpenAPIHono<AppEnv>, c: Case): Promise<{ status: number; body: unknown }> {
  const res = await app.request(`http://localhost${c.path}`, { method: 'POST', headers: c.headers ?? {}, ...(c.body !== undefined ? { body: c.body } : {}) });
  return { status: res.status, body: await res.json() };
}

describe('one-step request validation', () => {
  it.each(CASES)('answers like the library: $name', async (c) => {
    const expected = await answer(library, c);
    expect(await answer(oneStep, c)).toEqual(expected);
  });

  it('tells the cases apart (the comparison above can fail)', async () => {
    const statuses = new Set<number>();
    for (const c of CASES) statuses.add((await answer(oneStep, c)).status);
    // The app answers a refused media type (415 from the gate) as VALIDATION_ERROR, like app.ts's onError.
    expect([...statuses].sort()).toEqual([200, 400]);
    const unsupported = (
      await answer(
        oneStep,
        CASES.find((c) => c.name === 'text/plain')!,
      )
    ).body as { status: number; error: { message: string } };
    expect(unsupported).toMatchObject({ status: 415, error: { message: 'Unsupported Media Type' } });
    const bad = (await answer(oneStep, CASES[2]!)).body as { error: { message: string; details: { issues: unknown[] } } };
    expect(bad.error.message).toBe('Invalid async: Invalid option: expected one of "true"|"false"');
    expect(bad.error.details.issues).toHaveLength(1);
  });

  it('serves a covered route with one validator, and leaves the others to the library', () => {
    const handlers = (app: OpenAPIHono<AppEnv>, path: string) => app.routes.filter((r) => r.path === path).length;
    // query, param, header, media type gate, json, handler
    expect(handlers(library, '/items/:id/run')).toBe(6);
    expect(handlers(oneStep, '/items/:id/run')).toBe(2);
    expect(handlers(oneStep, '/optional')).toBe(handlers(library, '/optional'));
  });

  it('documents the routes exactly as the library does', () => {
    const doc = (app: OpenAPIHono<AppEnv>) => app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    expect(JSON.stringify(doc(oneStep))).toBe(JSON.stringify(doc(library)));
  });
});
