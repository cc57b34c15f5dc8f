/**
 * How the Worker reaches its Durable Object: the namespace binding (wrangler.toml, `durable_objects.bindings`) and
 * the stub it hands out. Runtime-neutral on purpose (no `cloudflare:workers` import), so the fetch handler and the
 * stub client compile and test anywhere.
 */
import type { BrokerRpc } from './broker-rpc';

export interface DurableObjectId {
  toString(): string;
}

/** A Durable Object namespace whose objects speak `Rpc` (every method async through the stub). */
export interface DurableObjectNamespace<Rpc> {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): Rpc;
}

/** The Worker's bindings: the broker namespace, the MCP_TOKENS secret and the `[vars]` as strings. */
export interface WorkerBindings {
  JOB_BROKER?: DurableObjectNamespace<BrokerRpc>;
  [name: string]: unknown;
}

/** The name of the one coordinating object (docs/design.md, "Workers"). */
export const BROKER_OBJECT_NAME = 'broker';

/** The string bindings only: what createDeps reads as settings. */
export function stringBindings(env: WorkerBindings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') out[name] = value;
  return out;
}
