/**
 * Is what a tool folder's definition module exports a tool definition the pipeline can use? Every answer is a
 * one-line reason the loader logs; a module that passes is used exactly as built-in definitions are.
 */
import { z } from 'zod';
import { type AnyToolDefinition, TOOL_NAME } from '../../tool/definition';

type Loose = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null;

/** A zod object schema, whichever copy of zod built it (tsx loads a package's own imports separately). */
function isZodObject(v: unknown): v is z.ZodObject {
  if (!isObject(v) || typeof v['safeParse'] !== 'function') return false;
  const internals = v['_zod'];
  return isObject(internals) && isObject(internals['def']) && internals['def']['type'] === 'object';
}

/** GET /tools and tools/list publish both schemas as JSON Schema: one that cannot be converted would break them. */
function jsonSchemaProblem(schema: z.ZodObject, io: 'input' | 'output'): string | undefined {
  try {
    z.toJSONSchema(schema, { io });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

const BINARY_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
const ANNOTATIONS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;
/** The longest deadline any tool may declare (MCP_DEFAULT_TIMEOUT_SEC's bound). */
const MAX_TIMEOUT_SEC = 3600;

function policyProblem(policy: unknown, params: z.ZodObject): string | undefined {
  if (!isObject(policy)) return 'policy is missing';
  const { binary, debianPackage, targetField, allowCidr, defaultTimeoutSec, maxTimeoutSec, resolveTarget, checkParams, execs } = policy;
  if (binary !== null && !(typeof binary === 'string' && BINARY_NAME.test(binary))) {
    return 'policy.binary must be null (native) or a bare program name the runner looks up in NETDIAG_BINARY_DIRS (no path)';
  }
  if (debianPackage !== null && typeof debianPackage !== 'string') return 'policy.debianPackage must be a string or null';
  if (typeof targetField !== 'string' || !Object.hasOwn(params.shape, targetField)) return 'policy.targetField must name one of the parameters';
  if (typeof allowCidr !== 'boolean') return 'policy.allowCidr must be a boolean';
  const whole = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_TIMEOUT_SEC;
  if (!whole(defaultTimeoutSec) || !whole(maxTimeoutSec) || defaultTimeoutSec > maxTimeoutSec) {
    return `policy.defaultTimeoutSec and maxTimeoutSec must be whole seconds, 1 to ${MAX_TIMEOUT_SEC}, default ≤ max`;
  }
  if (resolveTarget !== undefined && typeof resolveTarget !== 'boolean') return 'policy.resolveTarget must be a boolean when given';
  if (checkParams !== undefined && typeof checkParams !== 'function') return 'policy.checkParams must be a function when given';
  if (policy['weight'] !== undefined && policy['weight'] !== 'light' && policy['weight'] !== 'heavy')
    return "policy.weight must be 'light' or 'heavy' when given";
  // The sandbox helper grants at most 8 other programs (MAX_EXECS in runner/src/sandbox/native/harden-exec.h).
  if (execs !== undefined && !(Array.isArray(execs) && execs.length <= 8 && execs.every((e) => typeof e === 'string' && BINARY_NAME.test(e)))) {
    return 'policy.execs must be a list of at most 8 bare program names the runner looks up in NETDIAG_BINARY_DIRS (no path)';
  }
  return undefined;
}

/** The definition, or why it is not one. `taken`: names already in use (built-in or loaded before), with their owner. */
export function checkDefinition(value: unknown, taken: ReadonlyMap<string, string>): AnyToolDefinition | string {
  if (!isObject(value)) return 'exports no `tool` (export const tool = defineTool({ ... }))';
  const { name, title, description, params, result, annotations, render } = value;
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) return `tool name ${JSON.stringify(name)} must match ${String(TOOL_NAME)}`;
  const owner = taken.get(name);
  if (owner !== undefined) return `tool name "${name}" is already taken by ${owner}`;
  if (typeof title !== 'string' || title === '' || typeof description !== 'string' || description === '')
    return `${name}: title and description must be non-empty strings`;
  if (!isZodObject(params) || !isZodObject(result)) return `${name}: params and result must be zod objects (z.object)`;
  const schema = jsonSchemaProblem(params, 'input') ?? jsonSchemaProblem(result, 'output');
  if (schema !== undefined) return `${name}: a schema cannot be published as JSON Schema (${schema})`;
  if (!isObject(annotations) || !ANNOTATIONS.every((a) => typeof annotations[a] === 'boolean'))
    return `${name}: annotations must state ${ANNOTATIONS.join(', ')} as booleans`;
  if (typeof render !== 'function') return `${name}: render must be a function`;
  const policy = policyProblem(value['policy'], params);
  if (policy !== undefined) return `${name}: ${policy}`;
  // Every field the pipeline reads has just been checked.
  return value as unknown as AnyToolDefinition;
}
