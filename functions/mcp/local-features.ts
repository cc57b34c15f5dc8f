import type { GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';

/** A resource the MCP layer answers itself (conformance fixtures only; no production entry passes one). */
export interface LocalResource {
  resource: Resource;
  read(): ReadResourceResult;
}

/** A resource template the MCP layer answers itself: `read` gives undefined for a URI it does not match. */
export interface LocalTemplate {
  template: ResourceTemplate;
  read(uri: string): ReadResourceResult | undefined;
}

/** A prompt the MCP layer answers itself. */
export interface LocalPrompt {
  prompt: Prompt;
  get(args: Readonly<Record<string, string>>): GetPromptResult;
}

/**
 * Test-only resources, templates and prompts beside netdiag's own, as the conformance scenarios expect them (see
 * LocalTool in tool-catalogue.ts for the same idea with tools). Only the conformance entries under test/ pass them.
 */
export interface LocalFeatures {
  resources?: readonly LocalResource[];
  templates?: readonly LocalTemplate[];
  prompts?: readonly LocalPrompt[];
}
