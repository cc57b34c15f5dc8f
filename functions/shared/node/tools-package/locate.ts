/** Where a TOOLS_PACKAGE is on disk, and which of its folders are tools. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../../config/env-schema';

/**
 * The rule for what is not a tool (docs/CONTRIBUTING.md, "Custom tools without forking"; compared case-sensitively on the folder name): helpers,
 * fixtures and bases live beside the tools without being loaded. Hidden folders and node_modules are never tools.
 */
const SKIP_PREFIXES = ['Test', 'Mock', 'Abstract', 'Example', '_', '.'];
const SKIP_SUFFIXES = ['Base', 'Mixin', 'Interface'];

/** Why a folder is not loaded as a tool, or undefined when it is one. */
export function skipReason(folder: string): string | undefined {
  if (folder === 'node_modules') return 'node_modules';
  const prefix = SKIP_PREFIXES.find((p) => folder.startsWith(p));
  if (prefix) return `starts with "${prefix}"`;
  const suffix = SKIP_SUFFIXES.find((s) => folder.endsWith(s));
  return suffix ? `ends with "${suffix}"` : undefined;
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * TOOLS_PACKAGE → a directory: an absolute path or one relative to `cwd` (`examples/tools`, `./tools`), else the
 * root of an npm package of that name installed where `cwd` resolves packages (its folders are the tools).
 * Anything else is a configuration error naming the variable: the process must not start with a typo.
 */
export function resolveToolsDir(spec: string, cwd: string): string {
  const asPath = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (isDirectory(asPath)) return asPath;
  if (isAbsolute(spec) || spec.startsWith('.')) throw new ConfigError(`TOOLS_PACKAGE: ${asPath} is not a directory`);
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(spec)) throw new ConfigError(`TOOLS_PACKAGE: "${spec}" is neither a directory nor an npm package name`);
  // The package root itself, not its main file: a tools package need not have one (nor export ./package.json).
  const lookIn = createRequire(join(cwd, 'noop.js')).resolve.paths(spec) ?? [];
  const found = lookIn.map((dir) => join(dir, spec)).find((dir) => existsSync(join(dir, 'package.json')));
  if (!found) throw new ConfigError(`TOOLS_PACKAGE: "${spec}" is neither a directory under ${cwd} nor an installed npm package`);
  return found;
}

export interface ToolFolders {
  /** Folder names to load, sorted. */
  tools: string[];
  /** Folders left out by the naming rule, with the rule. */
  skipped: Array<{ folder: string; rule: string }>;
}

/** The package's sub-directories: the tools, and what the naming rule leaves out. Files at the top are ignored. */
export function toolFolders(dir: string): ToolFolders {
  const out: ToolFolders = { tools: [], skipped: [] };
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const folder of folders) {
    const rule = skipReason(folder);
    if (rule === undefined) out.tools.push(folder);
    else if (folder !== 'node_modules' && !folder.startsWith('.')) out.skipped.push({ folder, rule });
  }
  return out;
}
