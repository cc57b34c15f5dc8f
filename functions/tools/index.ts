/**
 * The one list of built-in tools (docs/design.md, "Tools"). Pure: the API on any runtime, the MCP server, the
 * runner and the OpenAPI generator import it. The runner's executors are keyed by these names
 * (functions/tools/executors.ts), so a tool without an executor does not compile; TOOLS_PACKAGE adds more at start-up.
 */
import type { AnyToolDefinition } from '../shared/tool/definition';
import { digTool } from './dig/definition';
import { httpProbeTool } from './http-probe/definition';
import { mtrTool } from './mtr/definition';
import { nmapTool } from './nmap/definition';
import { pingTool } from './ping/definition';
import { tlsInspectTool } from './tls-inspect/definition';
import { tracerouteTool } from './traceroute/definition';

export const builtinTools = [pingTool, tracerouteTool, mtrTool, nmapTool, digTool, tlsInspectTool, httpProbeTool] as const;

export type BuiltinToolName = (typeof builtinTools)[number]['name'];

export const toolDefinitions: readonly AnyToolDefinition[] = builtinTools;

export const builtinToolsByName: ReadonlyMap<string, AnyToolDefinition> = new Map(toolDefinitions.map((t) => [t.name, t]));

export function findTool(name: string): AnyToolDefinition | undefined {
  return builtinToolsByName.get(name);
}
