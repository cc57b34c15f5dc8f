// The part of @cloudflare/vitest-pool-workers' `cloudflare:test` module these tests use (its own declarations need
// @cloudflare/workers-types, which the project does not compile against: functions/workers/cloudflare-workers.d.ts).
declare module 'cloudflare:test' {
  import type { DurableObjectState } from 'cloudflare:workers';

  /** Run `callback` inside the object behind `stub`, with its instance and state. */
  export function runInDurableObject<O, R>(stub: unknown, callback: (instance: O, state: DurableObjectState) => R | Promise<R>): Promise<R>;
  /** Run the object's alarm now if one is set; false if none was. */
  export function runDurableObjectAlarm(stub: unknown): Promise<boolean>;
}
