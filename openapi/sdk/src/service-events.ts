import { readSse } from '../../../functions/mcp/sse-reader';
import type { RequestOptions, Transport } from './http.js';

/** One event of GET /events: `runner.joined`, `runner.left`, `tools.changed`, `job.*`, … with its data parsed. */
/** events() options: `types` asks the API for only these event types (exact, or `family.*`); absent = all. */
export interface EventsOptions extends RequestOptions {
  types?: readonly string[] | undefined;
}

export interface ServiceEvent {
  type: string;
  /** The event's id (what Last-Event-ID would resume after), when the API sent one. */
  id: string | undefined;
  data: unknown;
}

/**
 * Open the API's service event stream: resolves once the API accepted it (a refusal throws NetdiagError here), with
 * the events until the stream ends (an API restart) or `signal` fires. Not reopened here: what to do after a break
 * (reload, back off) is the caller's. Iterate it or abort `signal`: an unread stream stays open.
 */
export async function openEvents(http: Transport, options: EventsOptions = {}): Promise<AsyncGenerator<ServiceEvent>> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const close = (): void => {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  };
  let body: ReadableStream<Uint8Array>;
  try {
    // The API filters by type before writing (GET /events?types=…): events a caller would drop are never sent.
    const query = options.types?.length ? `?types=${options.types.map(encodeURIComponent).join(',')}` : '';
    body = await http.stream(`/events${query}`, { headers: options.headers, signal: stop.signal });
  } catch (err) {
    close();
    throw err;
  }
  return (async function* events(): AsyncGenerator<ServiceEvent> {
    try {
      for await (const m of readSse(body)) {
        let data: unknown;
        try {
          data = JSON.parse(m.data);
        } catch {
          data = m.data;
        }
        yield { type: m.event, id: m.id, data };
      }
    } finally {
      close();
    }
  })();
}
