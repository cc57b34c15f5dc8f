/**
 * TOOLS_PACKAGE: custom tools loaded at start-up by the Node entries (the Workers entry serves the build-time list
 * only). A package is a directory of tool folders; each folder holds
 *   definition.(mjs|js|ts)  `export const tool = defineTool({...})`            (API and runner)
 *   executor.(mjs|js|ts)    `export const executor = defineExecutor(tool, …)`   (runner only)
 *   health.(mjs|js|ts)      `export const healthChecks = [defineHealthCheck(…)]` (API only, optional)
 * Folders named Test*, Mock*, Abstract*, Example*, _*, *Base, *Mixin or *Interface are not tools (case-sensitive).
 * A folder that cannot be used (import throws, no valid definition, a taken or invalid name, a binary executor
 * without flags, …) is skipped with one error line naming its file and the reason; the service starts with the rest.
 * A tools package is code the operator trusts: it runs inside the API and runner processes.
 */
import { join } from 'node:path';
import type { Logger } from '../../logger';
import type { HealthCheck } from '../../health/health-check';
import type { AnyToolDefinition } from '../../tool/definition';
import type { Executor } from '../../tool/executor';
import { checkDefinition } from './check-definition';
import { checkExecutor } from './check-executor';
import { checkHealthChecks } from './check-health';
import { candidates, importModule, moduleFile } from './import-module';
import { resolveToolsDir, toolFolders } from './locate';

export interface CustomTool {
  definition: AnyToolDefinition;
  /** The folder it came from (absolute). */
  folder: string;
  /** Runner side only. */
  executor?: Executor | undefined;
  /** API side only; named `<tool>.<name>`. */
  healthChecks: readonly HealthCheck[];
}

export interface LoadToolsOptions {
  /** api: definitions and health checks; runner: definitions and executors. */
  side: 'api' | 'runner';
  /** Names already taken (the built-in tools). */
  reserved: Iterable<string>;
  logger: Logger;
  /** Where relative paths and package names are resolved (default: the process's cwd). */
  cwd?: string | undefined;
}

/** One folder's failure: the file it concerns and why. */
class Skip extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(reason);
  }
}

async function exported(folder: string, base: string, name: string, required: boolean): Promise<{ file: string; value: unknown } | undefined> {
  const file = moduleFile(folder, base);
  if (!file) {
    if (required) throw new Skip(folder, `has no ${candidates(base)}`);
    return undefined;
  }
  try {
    return { file, value: (await importModule(file))[name] };
  } catch (err) {
    throw new Skip(file, err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err));
  }
}

async function loadFolder(folder: string, side: LoadToolsOptions['side'], taken: ReadonlyMap<string, string>): Promise<CustomTool> {
  const def = await exported(folder, 'definition', 'tool', true);
  const definition = checkDefinition(def?.value, taken);
  if (typeof definition === 'string') throw new Skip(def?.file ?? folder, definition);
  if (side === 'runner') {
    const exe = await exported(folder, 'executor', 'executor', true);
    const executor = checkExecutor(exe?.value, definition);
    if (typeof executor === 'string') throw new Skip(exe?.file ?? folder, executor);
    return { definition, folder, executor, healthChecks: [] };
  }
  const health = await exported(folder, 'health', 'healthChecks', false);
  const healthChecks = checkHealthChecks(health?.value, definition.name);
  if (typeof healthChecks === 'string') throw new Skip(health?.file ?? folder, healthChecks);
  return { definition, folder, healthChecks };
}

/**
 * Load the package TOOLS_PACKAGE names (nothing when unset). Throws ConfigError only for the package itself (no
 * such directory or package); every problem inside it costs that one folder. Include/exclude come later (the
 * API's ToolRegistry applies TOOL_INCLUDE/TOOL_EXCLUDE to built-in and custom tools alike).
 */
export async function loadToolsPackage(spec: string | undefined, options: LoadToolsOptions): Promise<CustomTool[]> {
  if (spec === undefined || spec.trim() === '') return [];
  const dir = resolveToolsDir(spec.trim(), options.cwd ?? process.cwd());
  const { tools, skipped } = toolFolders(dir);
  const taken = new Map<string, string>([...options.reserved].map((n) => [n, 'a built-in tool']));
  const loaded: CustomTool[] = [];
  for (const name of tools) {
    const folder = join(dir, name);
    try {
      const tool = await loadFolder(folder, options.side, taken);
      taken.set(tool.definition.name, folder);
      loaded.push(tool);
    } catch (err) {
      const file = err instanceof Skip ? err.file : folder;
      const reason = err instanceof Error ? err.message : String(err);
      options.logger.error({ file, reason }, `custom tool not loaded: ${file}: ${reason}`);
    }
  }
  options.logger.info(
    { package: dir, tools: loaded.map((t) => t.definition.name), skippedByName: skipped.map((s) => `${s.folder} (${s.rule})`) },
    'custom tools loaded',
  );
  return loaded;
}
