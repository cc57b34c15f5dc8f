import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { ToolRenderer } from '../shared/tool/definition';
import type { FailureHints } from './answers';
import type { ToolExtra } from './call-tool';
import { registerCompletion } from './completion';
import type { LocalFeatures } from './local-features';
import type { PortAccess } from './port-access';
import { PROMPTS, registerPrompts } from './prompts';
import { registerResources } from './resources';
import { registerTasks } from './tasks';

/** What this server offers besides tools (docs/design.md, "MCP"); tools and logging are declared beside their handlers. */
export const FEATURE_CAPABILITIES: ServerCapabilities = {
  resources: { subscribe: true },
  prompts: {},
  completions: {},
  tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
};

/**
 * Resources, prompts, completion and tasks on one server: each in its own module, all reaching the API through the
 * same port with the caller's credentials. Returns the task start for task-augmented tools/call, and a close that
 * stops every subscription and task follower of the session.
 */
export function registerFeatures(
  server: Server,
  access: PortAccess,
  hints: FailureHints,
  renderers: ReadonlyMap<string, ToolRenderer>,
  local: LocalFeatures = {},
) {
  const resources = registerResources(server, access, renderers, local);
  registerPrompts(server, local.prompts);
  registerCompletion(server, access, new Set(PROMPTS.map((p) => p.prompt.name)));
  const taskTools = async (extra: ToolExtra): Promise<ReadonlySet<string>> => {
    const answer = await access.port.listTools({ signal: AbortSignal.any([extra.signal, AbortSignal.timeout(10_000)]), headers: access.headers(extra) });
    return new Set(answer.kind === 'ok' ? answer.data.tools.filter((t) => t.longRunning).map((t) => t.name) : []);
  };
  const tasks = registerTasks(server, { access, hints, renderers, taskTools });
  return {
    startTask: tasks.start,
    close: () => {
      resources.close();
      tasks.close();
    },
  };
}
