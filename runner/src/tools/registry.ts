import type { Executor } from './executor';
import { pingExecutor } from './ping';

/** Executors by tool name. Tools without an executor here are never advertised by this runner. */
export const executors: ReadonlyMap<string, Executor<never>> = new Map<string, Executor<never>>(
  [pingExecutor].map((e) => [e.definition.name, e as unknown as Executor<never>]),
);
