import type { BinaryExecutor } from './executor';
import { pingExecutor } from './ping';

/** Executors by tool name. Tools without an executor here are never advertised by this runner. */
export const executors: ReadonlyMap<string, BinaryExecutor<never>> = new Map<string, BinaryExecutor<never>>(
  [pingExecutor].map((e) => [e.definition.name, e as unknown as BinaryExecutor<never>]),
);
