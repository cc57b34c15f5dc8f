/** The runner's executors: the built-in ones plus TOOLS_PACKAGE's, which then go through the same pipeline. */
import type { Logger } from '../../functions/shared/logger';
import { loadToolsPackage } from '../../functions/shared/node/tools-package/load';
import type { Executor } from '../../functions/shared/tool/executor';

/**
 * A copy of `builtin` with the package's executors added (the built-in map stays as it is). Their binaries are
 * resolved with NETDIAG_BINARY_DIRS like the built-ins' (main.ts asks for every executor's binary), and every job
 * of theirs passes executeJob: schema, checkParams, target policy and pinning, declared flags, sandbox, caps,
 * breakers, concurrency, spans.
 */
export async function withToolsPackage(
  builtin: ReadonlyMap<string, Executor>,
  spec: string | undefined,
  logger: Logger,
  cwd?: string,
): Promise<ReadonlyMap<string, Executor>> {
  const custom = await loadToolsPackage(spec, { side: 'runner', reserved: builtin.keys(), logger, cwd });
  if (custom.length === 0) return builtin;
  const all = new Map(builtin);
  for (const t of custom) if (t.executor) all.set(t.definition.name, t.executor);
  return all;
}
