import type { ToolRenderer } from '../shared/tool/definition';

/**
 * The text of a tool result for MCP `content`, from the tool's own renderer; the full data is in
 * `structuredContent`. A tool this server has no renderer for (a custom tool the API loaded from TOOLS_PACKAGE,
 * seen from the shim) gets its JSON, which is still complete.
 */
export function renderResult(renderers: ReadonlyMap<string, ToolRenderer>, tool: string, result: Readonly<Record<string, unknown>>): string {
  const render = renderers.get(tool);
  return render ? render(result) : JSON.stringify(result, null, 2);
}
