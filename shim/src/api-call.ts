import type { ApiClient, ErrorBody, ToolInfo, paths } from '../../openapi/client';

type ExecutePath = Extract<keyof paths, `/tools/${string}/execute`>;

/** What one API call came to, before it becomes an MCP answer. */
export type ApiAnswer<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'error'; status: number; body: ErrorBody['error'] }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

async function call<T>(fn: (signal: AbortSignal) => Promise<{ data?: T; error?: unknown; response: Response }>, timeoutMs: number, signal?: AbortSignal): Promise<ApiAnswer<T>> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const { data, error, response } = await fn(combined);
    if (data !== undefined) return { kind: 'ok', data };
    const body = (error as ErrorBody | undefined)?.error;
    return { kind: 'error', status: response.status, body: body ?? { code: 'UNKNOWN', message: `HTTP ${response.status} from the API`, recoverySuggestion: 'Check that NETDIAG_API_URL points at a netdiag API.' } };
  } catch (err) {
    if (signal?.aborted) return { kind: 'aborted' };
    if (timeout.aborted) return { kind: 'timeout' };
    const cause = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
    return { kind: 'unreachable', reason: cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? String(err) };
  }
}

export function listTools(client: ApiClient, timeoutMs: number): Promise<ApiAnswer<{ tools: ToolInfo[] }>> {
  return call((signal) => client.GET('/tools', { signal }), timeoutMs);
}

export function executeTool(client: ApiClient, name: string, args: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<ApiAnswer<{ result: Record<string, unknown>; jobId: string }>> {
  const path = `/tools/${encodeURIComponent(name)}/execute` as ExecutePath;
  return call((s) => client.POST(path, { body: args as never, signal: s }) as Promise<{ data?: { result: Record<string, unknown>; jobId: string }; error?: unknown; response: Response }>, timeoutMs, signal);
}
