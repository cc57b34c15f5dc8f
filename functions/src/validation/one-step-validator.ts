import type { RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { type JsonBodyGate, jsonBodyGate, readJsonBody } from './json-body';
import type { ValidationResult } from './validation-hook';
import { type PartTarget, validatePart } from './validate-part';

type Step = { target: PartTarget; schema: z.ZodType; read: (c: Context<AppEnv>) => unknown };

const isZod = (x: unknown): x is z.ZodType => x instanceof z.ZodType;

/** hono's validator: each query key to its value, or to all of its values when repeated. */
const readQuery = (c: Context<AppEnv>): unknown => Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => (v.length === 1 ? [k, v[0]] : [k, v])));

/**
 * Headers as @hono/zod-validator passes them: every header, its name mapped to the schema's spelling. For a plain
 * object schema (unknown keys dropped, no whole-object checks) only the schema's own headers can matter, so only those
 * are read (Headers.get is case-insensitive), instead of copying every header of the request.
 */
function headerReader(schema: z.ZodType): (c: Context<AppEnv>) => unknown {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : undefined;
  const def = schema._zod.def as { catchall?: unknown; checks?: readonly unknown[] };
  if (shape && def.catchall === undefined && !def.checks?.length) {
    const names = Object.keys(shape);
    return (c) => {
      const value: Record<string, string> = {};
      for (const name of names) {
        const v = c.req.header(name);
        if (v !== undefined) value[name] = v;
      }
      return value;
    };
  }
  const keymap = shape ? Object.fromEntries(Object.keys(shape).map((k) => [k.toLowerCase(), k])) : undefined;
  return (c) => {
    const all = c.req.header();
    return keymap ? Object.fromEntries(Object.entries(all).map(([k, v]) => [keymap[k] ?? k, v])) : all;
  };
}

/**
 * One route's request validation as one middleware (issue 12): the same parts in the same order as @hono/zod-openapi's
 * validators (query, path parameters, headers, then the media type and the JSON body), each result handed to the same
 * hook, so every bad request gets the same answer; but zod parses synchronously and the parts are checked in one step
 * instead of one middleware and several promise turns each. Undefined for what it does not cover (cookies, forms, an
 * optional or non-JSON body): such routes keep the library's validators (validated-openapi-hono.ts).
 */
export function oneStepValidator(request: RouteConfig['request'], hook: (result: ValidationResult) => void): MiddlewareHandler<AppEnv> | undefined {
  if (!request || request.cookies) return undefined;
  const steps: Step[] = [];
  if (request.query) {
    if (!isZod(request.query)) return undefined;
    steps.push({ target: 'query', schema: request.query, read: readQuery });
  }
  if (request.params) {
    if (!isZod(request.params)) return undefined;
    steps.push({ target: 'param', schema: request.params, read: (c) => c.req.param() });
  }
  if (request.headers) {
    if (!isZod(request.headers)) return undefined;
    steps.push({ target: 'header', schema: request.headers, read: headerReader(request.headers) });
  }
  let gate: JsonBodyGate | undefined;
  if (request.body) {
    const types = Object.keys(request.body.content);
    const media = request.body.content['application/json'];
    const schema = media && 'schema' in media ? media.schema : undefined;
    if (!request.body.required || types.length !== 1 || !isZod(schema)) return undefined;
    gate = jsonBodyGate(types);
    steps.push({ target: 'json', schema, read: () => undefined });
  }

  return async function oneStepValidatorMiddleware(c, next) {
    for (const step of steps) {
      const value = step.target === 'json' && gate ? await readJsonBody(c, gate) : step.read(c);
      const checked = validatePart(step.target, step.schema, value, hook);
      const result = checked instanceof Promise ? await checked : checked;
      // The hook throws for a failure; @hono/zod-validator's own answer if it ever did not.
      if (!result.success) return c.json(result, 400);
      c.req.addValidatedData(step.target, result.data as object);
    }
    return next();
  };
}
