/**
 * Is what a tool folder's executor module exports a runner side the pipeline can drive? The pipeline keeps the last
 * word anyway (it refuses undeclared options at run time); this refuses executors that could not work at all.
 */
import type { AnyToolDefinition } from '../../tool/definition';
import type { Executor } from '../../tool/executor';

type Loose = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null;
const optionalFunction = (v: unknown): boolean => v === undefined || typeof v === 'function';

/** Options argv may contain: "-x", "--long", "+dig-style" (docs/security.md, "Arguments"). */
const FLAG = /^[-+][A-Za-z0-9_.=-]*$/;

/**
 * The executor bound to the loaded definition, or why it cannot be used. Binding makes the runner validate with the
 * very object the API published, whatever the module built its executor from.
 */
export function checkExecutor(value: unknown, definition: AnyToolDefinition): Executor | string {
  const name = definition.name;
  if (!isObject(value)) return 'exports no `executor` (export const executor = defineExecutor(tool, { ... }))';
  const bound = value['definition'];
  if (!isObject(bound) || bound['name'] !== name)
    return `${name}: the executor is defined for ${isObject(bound) ? JSON.stringify(bound['name']) : 'no tool'}, not for "${name}"`;
  if (!optionalFunction(value['unavailable'])) return `${name}: unavailable must be a function when given`;
  const kind = value['kind'];
  if (kind === 'native') {
    if (definition.policy.binary !== null) return `${name}: a native executor needs policy.binary null`;
    if (typeof value['run'] !== 'function') return `${name}: a native executor needs run(params, ctx)`;
    return { ...(value as unknown as Executor), definition };
  }
  if (kind !== 'binary') return `${name}: executor kind must be "binary" or "native"`;
  if (definition.policy.binary === null) return `${name}: a binary executor needs policy.binary`;
  const flags = value['flags'];
  if (!Array.isArray(flags)) return `${name}: a binary executor must declare its flags (every option argv may contain; [] for none)`;
  const bad = flags.find((f: unknown) => typeof f !== 'string' || !FLAG.test(f));
  if (bad !== undefined) return `${name}: flag ${JSON.stringify(bad)} is not an option (-x, --long or +name)`;
  if (typeof value['argv'] !== 'function' || typeof value['parse'] !== 'function') return `${name}: a binary executor needs argv() and parse()`;
  if (!optionalFunction(value['createProgress'])) return `${name}: createProgress must be a function when given`;
  return { ...(value as unknown as Executor), definition, flags: Object.freeze([...(flags as string[])]) } as Executor;
}
