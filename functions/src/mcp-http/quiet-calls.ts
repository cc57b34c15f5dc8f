/**
 * The thin /mcp path for steady-state tool calls (issue 12: MCP over HTTP vs REST; docs/design.md, "MCP"). A POST of
 * one `tools/call` on an open session that can send nothing but its final response (functions/mcp/quiet-call.ts) is
 * handed to the server's own tools/call handler here instead of through the SDK transport's handleRequest and the
 * Protocol dispatch: no event stream per POST, no second message parse, no send through the transport. Everything
 * before it is the route's (Host/Origin, bearer token, scopes, the session bound to its principal); everything after
 * is the handler's, the same code as the SDK path (its span, logs, audit, and the execute route's checks and job
 * called in process, functions/src/tool-call/direct-call.ts: auth, policy, validation, rate limits and idempotency). What the SDK's Protocol layer does for a request is done
 * the same way: the answer `{ result, jsonrpc, id }` or its error envelope, a `notifications/cancelled` for the id
 * aborts the handler and no answer is sent, the session's end aborts it. The answer goes out as the AnswerTap's does
 * (answer-tap.ts): JSON with the session's headers; a caller that went away, a cancelled call or an ended session get
 * the empty, closed event stream the SDK path leaves them. Anything else, or anything the SDK would refuse (headers,
 * envelope, params), is not taken here: the route hands it to the transport as before.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { ErrorCode, McpError, type RequestId, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { ToolExtra } from '../../mcp/call-tool';
import { parseToolCall } from '../../mcp/quiet-call';
import type { QuietCall } from '../../mcp/server-factory';
import { markMcpStage } from './mcp-stage-stamps';
import { whenAborted } from './when-aborted';

type Log = (level: 'warn', msg: string, fields?: Record<string, unknown>) => void;

/** The SDK transport's checks of a POST after the session (webStandardStreamableHttp.js): passed as the SDK would, else not quiet. */
function transportWouldAccept(req: Request): boolean {
  const accept = req.headers.get('accept');
  const version = req.headers.get('mcp-protocol-version');
  return (
    accept !== null &&
    accept.includes('application/json') &&
    accept.includes('text/event-stream') &&
    req.headers.get('content-type') === 'application/json' &&
    (version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version))
  );
}

/** The ids a body cancels, as the SDK's Protocol reads notifications/cancelled (a falsy requestId is ignored there too). */
function cancelledIds(body: unknown): RequestId[] {
  const ids: RequestId[] = [];
  for (const m of Array.isArray(body) ? body : [body]) {
    const n = m as { method?: unknown; params?: { requestId?: unknown } } | null;
    const id = n?.params?.requestId;
    if (n?.method === 'notifications/cancelled' && (typeof id === 'string' || typeof id === 'number') && id) ids.push(id);
  }
  return ids;
}

export class QuietCalls {
  private readonly inFlight = new Map<RequestId, AbortController>();
  // A flag and callbacks, not an AbortController: this object outlives the request that made it, and workerd refuses
  // to touch a signal made in one request's context from another's ("Cannot perform I/O on behalf of a different request").
  private ended = false;
  private readonly endWaiters = new Set<() => void>();

  constructor(
    private readonly call: QuietCall,
    private readonly sessionId: string,
    private readonly log: Log,
  ) {}

  /** A POST's notifications/cancelled for a quiet call in flight aborts it (the SDK's Protocol aborts its own the same way). */
  cancel(body: unknown): void {
    for (const id of cancelledIds(body)) abortFromAnyRequest(this.inFlight.get(id), this.log);
  }

  /** Answer a POST quietly, or undefined when it is not a quiet call: then it goes through the SDK transport. */
  answer(req: Request, body: unknown, authInfo: AuthInfo): Promise<Response> | undefined {
    if (this.ended || !transportWouldAccept(req)) return undefined;
    const parsed = parseToolCall(body);
    // A second request with an id still in flight (a client bug) goes the SDK's way, as the tap streams it.
    if (!parsed || this.inFlight.has(parsed.id)) return undefined;
    const controller = new AbortController();
    const extra: ToolExtra = {
      signal: controller.signal,
      sessionId: this.sessionId,
      ...(parsed.request.params._meta !== undefined ? { _meta: parsed.request.params._meta } : {}),
      authInfo,
      requestId: parsed.id,
      // A quiet call sends nothing before its result (quiet-call.ts decides so); these only say so if that ever changes.
      sendNotification: async (n) => this.log('warn', 'a quiet tools/call tried to send a notification; dropped', { method: n.method }),
      sendRequest: async () => {
        throw new McpError(ErrorCode.InternalError, 'This call cannot send requests to the client.');
      },
    };
    const pending = this.call(parsed.request, extra);
    if (!pending) return undefined;
    this.inFlight.set(parsed.id, controller);
    const settled = pending.then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    void settled.then(() => {
      if (this.inFlight.get(parsed.id) === controller) this.inFlight.delete(parsed.id);
    });
    return this.respond(req, parsed.id, settled, controller.signal, req.signal);
  }

  /** The session ended: calls in flight are aborted, as Protocol aborts its handlers when the transport closes. */
  close(): void {
    this.ended = true;
    for (const wake of this.endWaiters) wake();
    this.endWaiters.clear();
    for (const c of this.inFlight.values()) abortFromAnyRequest(c, this.log);
    this.inFlight.clear();
  }

  private async respond(
    req: Request,
    id: RequestId,
    settled: Promise<{ result: unknown } | { error: unknown }>,
    cancelled: AbortSignal,
    caller: AbortSignal,
  ): Promise<Response> {
    const outcome = await Promise.race([settled, whenAborted(caller)]);
    markMcpStage(req, 'mcp.settled');
    if (outcome === undefined) return this.emptyStream();
    // Cancelled: no answer (Protocol sends none); the POST stays open until its caller leaves or the session ends.
    if (cancelled.aborted) {
      await Promise.race([whenAborted(caller), this.whenEnded()]);
      return this.emptyStream();
    }
    const message = 'result' in outcome ? { result: outcome.result, jsonrpc: '2.0', id } : { jsonrpc: '2.0', id, error: errorOf(outcome.error) };
    return new Response(JSON.stringify(message), { status: 200, headers: { ...this.headers(), 'content-type': 'application/json' } });
  }

  private whenEnded(): Promise<undefined> {
    return this.ended ? Promise.resolve(undefined) : new Promise((resolve) => this.endWaiters.add(() => resolve(undefined)));
  }

  /** The SSE headers of the SDK transport's answer the tap keeps (cache-control and the session id). */
  private headers(): Record<string, string> {
    return { 'cache-control': 'no-cache, no-transform', 'mcp-session-id': this.sessionId };
  }

  private emptyStream(): Response {
    return new Response('', {
      status: 200,
      headers: { ...this.headers(), 'content-type': 'text/event-stream', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    });
  }
}

/** Protocol's error envelope for a handler that threw (shared/protocol.js, _onrequest). */
function errorOf(error: unknown): { code: number; message: string; data?: unknown } {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  return {
    code: typeof e.code === 'number' && Number.isSafeInteger(e.code) ? e.code : ErrorCode.InternalError,
    message: typeof e.message === 'string' ? e.message : 'Internal error',
    ...(e.data !== undefined ? { data: e.data } : {}),
  };
}

/**
 * Abort a call's controller from whichever request asks (a cancel arrives on another POST, the end on DELETE). On
 * workerd a controller made in another request's context cannot be aborted from this one: the call then runs to its
 * end, as a call on the SDK's path would there; it is logged, not thrown into the request that asked.
 */
function abortFromAnyRequest(controller: AbortController | undefined, log: Log): void {
  try {
    controller?.abort();
  } catch (err) {
    log('warn', 'could not abort a quiet tools/call from this request', { err: String(err) });
  }
}
