/** Moved to functions/src/mcp/render/dig.ts (shared by the shim and /mcp); kept for runner/src/tools/dig.test.ts. */
export { renderDig } from '../../../functions/src/mcp/render/dig';
