/**
 * An undici Agent of the very undici inside Node's fetch, without bundling a second copy (the shim must stay one
 * small file, test/mcp/bundle.test.ts; the `undici` package alone is about 500 KB minified). Node keeps its global
 * dispatcher under this documented symbol (undici's setGlobalDispatcher); its constructor is Node's Agent class.
 */
import type { Agent, Dispatcher } from 'undici-types';

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

type AgentClass = new (options: Agent.Options) => Dispatcher;

let agentClass: Promise<AgentClass> | undefined;

async function findAgentClass(): Promise<AgentClass> {
  const holder = globalThis as unknown as Record<symbol, unknown>;
  // Node loads undici on the first fetch; a data: URL loads it without any traffic.
  if (holder[GLOBAL_DISPATCHER] === undefined) await fetch('data:,').catch(() => undefined);
  const global = holder[GLOBAL_DISPATCHER] as { constructor?: unknown; dispatch?: unknown } | undefined;
  const ctor = global?.constructor;
  if (typeof ctor !== 'function' || ctor.name !== 'Agent' || typeof global?.dispatch !== 'function') {
    throw new Error("cannot find the undici Agent inside Node's fetch (expected Node 20 or later with no other global dispatcher)");
  }
  return ctor as AgentClass;
}

/** A new Agent of Node's own undici with these options (e.g. `connect: { ca, cert, key }`). */
export async function bundledAgent(options: Agent.Options): Promise<Dispatcher> {
  agentClass ??= findAgentClass();
  const Ctor = await agentClass;
  return new Ctor(options);
}
