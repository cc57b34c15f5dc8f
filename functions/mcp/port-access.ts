import type { ApiAnswer } from './api-answer';
import type { McpApiPort, PortContext } from './api-port';
import type { ToolExtra } from './call-tool';
import { ProtocolError, RESOURCE_NOT_FOUND } from './protocol-error';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';

/** Longest a resources, prompts or completion request waits for the API. */
export const READ_TIMEOUT_MS = 10_000;

/** How a request handler reaches the API as its caller: the port, and the caller's headers (Authorization on /mcp). */
export interface PortAccess {
  port: McpApiPort;
  headers(extra: ToolExtra): Record<string, string>;
}

/** The port context of one request: its own cancellation, a deadline, and the caller's identity. */
export function readContext(access: PortAccess, extra: ToolExtra, signal?: AbortSignal): PortContext {
  const signals = [extra.signal, AbortSignal.timeout(READ_TIMEOUT_MS), ...(signal ? [signal] : [])];
  return { signal: AbortSignal.any(signals), headers: access.headers(extra), principal: extra.authInfo?.clientId };
}

/** The data of an answer, or the protocol error a resource request answers with (404 is "resource not found"). */
export function dataOr<T>(answer: ApiAnswer<T>, what: string): T {
  if (answer.kind === 'ok') return answer.data;
  if (answer.kind === 'error' && answer.status === 404) throw new ProtocolError(RESOURCE_NOT_FOUND, `Resource not found: ${what}`, { uri: what });
  const reason =
    answer.kind === 'error'
      ? `${answer.body.code}: ${answer.body.message}`
      : answer.kind === 'unreachable'
        ? `API unreachable (${answer.reason})`
        : 'cancelled';
  throw new ProtocolError(ErrorCode.InternalError, `Could not read ${what}: ${reason}`);
}
