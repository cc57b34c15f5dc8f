import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import type { ApiAnswer } from './api-answer';
import type { ExecuteSucceeded } from './api-port';
import type { ToolRenderer } from '../shared/tool/definition';
import { type ProtocolError, invalidParams } from './protocol-error';
import { jobUri } from './job-resource';
import { renderResult } from './render';

/** `_meta` key of a failed call's structured error ({ code, message, recoverySuggestion, details }). */
export const ERROR_META_KEY = 'io.netdiag/error';

/** What a failure message says to fix, which depends on how the server is reached (stdio shim or /mcp). */
export interface FailureHints {
  /** Where the API is, for "cannot reach" messages. */
  apiUrl: string;
  /** Whose token the API rejected, e.g. "the shim's token". */
  tokenName: string;
  /** How to fix a rejected token, e.g. "Set NETDIAG_TOKEN …". */
  tokenFix: string;
  /** How to fix an unreachable API. */
  unreachableFix: string;
  /** How to give a call more time. */
  timeoutFix: string;
}

/**
 * Everything a model is told when a call fails, in one place: the text names the code, the problem and what to
 * do. The structured error rides in `_meta`, not in structuredContent, which must match the tool's output schema.
 */
export function failure(code: string, message: string, recoverySuggestion: string, details?: Record<string, unknown>): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${message}\nWhat to do: ${recoverySuggestion}` }],
    _meta: { [ERROR_META_KEY]: { code, message, recoverySuggestion, ...(details ? { details } : {}) } },
  };
}

export const unknownTool = (name: string): ProtocolError => invalidParams(`Unknown tool: ${name}`);

/** A link to the job a result came from (netdiag://jobs/{id}), readable later without running the tool again. */
export const jobLink = (tool: string, jobId: string): ResourceLink => ({
  type: 'resource_link',
  uri: jobUri(jobId),
  name: `job-${jobId}`,
  title: `${tool} job`,
  mimeType: 'application/json',
});

/**
 * Map an API answer to an MCP answer. Arguments that fail validation, unknown and disabled tools are protocol
 * errors (-32602); everything else that goes wrong is an isError result the model can read and act on.
 */
export function toCallToolResult(
  tool: string,
  answer: ApiAnswer<ExecuteSucceeded>,
  hints: FailureHints,
  renderers: ReadonlyMap<string, ToolRenderer>,
): CallToolResult {
  switch (answer.kind) {
    case 'ok':
      return {
        content: [
          { type: 'text', text: renderResult(renderers, tool, answer.data.result) },
          // The job stays readable (and its result reusable without a re-run) as a resource.
          jobLink(tool, answer.data.jobId),
        ],
        structuredContent: answer.data.result,
      };
    case 'error': {
      const e = answer.body;
      if (e.code === 'VALIDATION_ERROR') {
        throw invalidParams(e.message, { code: e.code, recoverySuggestion: e.recoverySuggestion, details: e.details });
      }
      if (e.code === 'NOT_FOUND' && answer.status === 404 && (!e.details || e.details['disabled'] === true)) {
        throw invalidParams(e.details ? e.message : `Unknown tool: ${tool}`, {
          code: e.code,
          recoverySuggestion: e.recoverySuggestion,
        });
      }
      if (e.code === 'UNAUTHORIZED') {
        return failure(e.code, `The netdiag API at ${hints.apiUrl} rejected ${hints.tokenName}: ${e.message}`, hints.tokenFix);
      }
      const failed = failure(e.code, e.message, e.recoverySuggestion, e.details);
      // A job that ran and failed (a timeout with a partial result, say) stays readable as its resource too.
      const jobId = e.details?.['jobId'];
      return typeof jobId === 'string' ? { ...failed, content: [...failed.content, jobLink(tool, jobId)] } : failed;
    }
    case 'unreachable':
      if (answer.transport)
        return failure('API_UNREACHABLE', `Cannot reach the netdiag API at ${hints.apiUrl}: ${answer.transport.problem}.`, answer.transport.fix);
      return failure('API_UNREACHABLE', `Cannot reach the netdiag API at ${hints.apiUrl} (${answer.reason}).`, hints.unreachableFix);
    case 'aborted':
      return failure('CANCELLED', 'The call was cancelled.', 'Call again if you still need the result.');
  }
}
