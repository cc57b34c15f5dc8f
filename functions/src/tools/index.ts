import { digTool } from './dig/definition';
import { httpProbeTool } from './http-probe/definition';
import { mtrTool } from './mtr/definition';
import { nmapTool } from './nmap/definition';
import { pingTool } from './ping/definition';
import { tlsInspectTool } from './tls-inspect/definition';
import { tracerouteTool } from './traceroute/definition';
import type { AnyToolDefinition } from './types';

/** The one registry of tool definitions, imported by the API, the runner and the OpenAPI generator. */
export const toolDefinitions: readonly AnyToolDefinition[] = [pingTool, tracerouteTool, mtrTool, nmapTool, digTool, tlsInspectTool, httpProbeTool];

export function findTool(name: string): AnyToolDefinition | undefined {
  return toolDefinitions.find((t) => t.name === name);
}
