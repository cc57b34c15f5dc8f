import { pingTool } from './ping/definition';
import type { AnyToolDefinition } from './types';

/** The one registry of tool definitions, imported by the API, the runner and the OpenAPI generator. */
export const toolDefinitions: readonly AnyToolDefinition[] = [pingTool];

export function findTool(name: string): AnyToolDefinition | undefined {
  return toolDefinitions.find((t) => t.name === name);
}
