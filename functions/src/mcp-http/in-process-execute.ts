import { type ApiAnswer, type FetchOutcome, callApi } from '../../mcp/api-answer';
import type { PortContext } from '../../mcp/api-port';
import { IN_PROCESS_BASE_URL } from './in-process-request';
import { lightRequest, withContentLength } from './light-request';

/** One POST /tools/{name}/execute of the /mcp port: the tool, its arguments, extra headers (Idempotency-Key) and `?async=true`. */
export type InProcessExecute = <T>(
  tool: string,
  args: Record<string, unknown>,
  headers: Record<string, string>,
  ctx: PortContext,
  async: boolean,
) => Promise<ApiAnswer<T>>;

/** The answer's body as openapi-fetch 0.x reads it: a success's JSON (an empty body is no data); an error's text, parsed when it is JSON. */
async function outcomeOf<T>(response: Response): Promise<FetchOutcome<T>> {
  const text = await response.text();
  if (response.ok) return text === '' ? { response } : { data: JSON.parse(text) as T, response };
  try {
    return { error: JSON.parse(text) as unknown, response };
  } catch {
    return { error: text, response };
  }
}

/**
 * POST /tools/{name}/execute in process, for every tools/call on /mcp (issue 12: MCP over HTTP vs REST): the request
 * is built here as one LightRequest (light-request.ts: JSON body kept as text, no web Request unless something asks
 * for more than the app reads, the caller's signal as its own) and handed to the app, where
 * the typed client (openapi-fetch) built a URL, merged three header sets into a Headers, made the Request and then
 * parsed the answer the same way. It goes through the very same route as a network call, with the caller's own
 * Authorization: scopes, rate limit, size limit, validation, target policy, idempotency, the job and its audit are
 * the route's (routes/tool-execute.ts); only the client side of the pass is thinner. The answer is sorted by the
 * port's own callApi, as every other port call's is (functions/mcp/api-answer.ts).
 */
export function inProcessExecute(fetchApp: (request: Request) => Promise<Response>): InProcessExecute {
  return <T>(tool: string, args: Record<string, unknown>, headers: Record<string, string>, ctx: PortContext, async: boolean): Promise<ApiAnswer<T>> =>
    callApi(async () => {
      // In the form the URL parser gives, as a Request's would be: the app routes on this text as it is.
      const url = new URL(`${IN_PROCESS_BASE_URL}/tools/${encodeURIComponent(tool)}/execute${async ? '?async=true' : ''}`).href;
      const body = JSON.stringify(args);
      const request = lightRequest(
        url,
        'POST',
        withContentLength(new Headers({ 'content-type': 'application/json', ...ctx.headers, ...headers }), body),
        body,
        ctx,
      );
      return outcomeOf<T>(await fetchApp(request));
    }, ctx.signal);
}
