/**
 * The few Workers runtime types this folder uses, declared here so the project needs neither
 * @cloudflare/workers-types (it would clash with the DOM and Node types every other part compiles against) nor
 * generated types. Shapes follow https://developers.cloudflare.com/durable-objects/api/ (state, storage, SQL, alarms).
 */
declare module 'cloudflare:workers' {
  export interface SqlCursor<T> extends Iterable<T> {
    toArray(): T[];
    one(): T;
  }

  export interface DurableObjectStorage {
    sql: { exec<T = Record<string, string | number | null>>(query: string, ...bindings: unknown[]): SqlCursor<T> };
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number): Promise<void>;
    deleteAlarm(): Promise<void>;
  }

  export interface DurableObjectState {
    readonly storage: DurableObjectStorage;
    blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
  }

  /** Base class of RPC-capable Durable Objects: public methods are callable through a stub. */
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectState;
    protected readonly env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }

  /** The bindings of the Worker the code runs in (used by the workerd tests). */
  export const env: Record<string, unknown>;
}
