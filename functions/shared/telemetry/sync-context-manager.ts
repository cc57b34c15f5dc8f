/**
 * A context manager that keeps the active context for the synchronous extent of `context.with()` only, with no async
 * propagation. For a process that hands its trace context on explicitly (the API: functions/src/telemetry/request-trace.ts;
 * the runner: runner/src/telemetry/job-span.ts; the shim: shim/src/telemetry.ts):
 * on Node 20 the SDK's default, AsyncLocalStorageContextManager, turns on promise hooks for every promise and a
 * trampoline for every callback of the whole process once enabled, a cost on each await of a job, traced or not
 * (issue 12; docs/design.md, "Observability"). Runtime-neutral: only @opentelemetry/api.
 */
import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';

export class SyncContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.current;
    this.current = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  /** A function that runs in `ctx` whenever it is called (the SDK binds callbacks this way); anything else as it is. */
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    const within = (call: () => unknown): unknown => this.with(ctx, call);
    return function bound(this: unknown, ...args: unknown[]): unknown {
      return within(() => fn.apply(this, args));
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
