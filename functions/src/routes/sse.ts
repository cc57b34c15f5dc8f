import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ServiceEvent, ServiceEventLog } from '../events/service-event-log';
import { flushAfterAnswer } from '../telemetry/after-answer';

export interface SseOptions {
  /** Which bus events this stream carries. */
  filter: (e: ServiceEvent) => boolean;
  /** Close the stream after this event (e.g. the job ended). */
  last?: (e: ServiceEvent) => boolean;
  /** Extra events sent on a timer (snapshots). */
  tick?: { everyMs: number; build: () => Promise<{ event: string; data: unknown }> };
  /** Sent first (current state), before replay and live events. */
  initial?: () => Promise<{ event: string; data: unknown } | undefined>;
}

/**
 * Server-sent events from the service event log: replay after Last-Event-ID (with a `gap` event when the buffer no longer
 * holds everything), then live events, until the client leaves or `last` matches.
 */
export function busStream(c: Context, bus: ServiceEventLog, options: SseOptions): Response {
  // Job events go out after the answers of their turn (events/bridge.ts): those of answers already given are published
  // now, so a stream opened after an answer starts where it did before (not with an event older than its state).
  flushAfterAnswer();
  const lastId = Number(c.req.header('last-event-id') ?? '');
  return streamSSE(c, async (stream) => {
    let closed = false;
    const pending: ServiceEvent[] = [];
    let wake: (() => void) | undefined;
    const off = bus.subscribe((e) => {
      if (!options.filter(e)) return;
      pending.push(e);
      wake?.();
    });
    const timer = options.tick
      ? setInterval(() => {
          void options.tick?.build().then((t) => stream.writeSSE({ event: t.event, data: JSON.stringify(t.data) }));
        }, options.tick.everyMs)
      : undefined;
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    try {
      const first = await options.initial?.();
      if (first) await stream.writeSSE({ event: first.event, data: JSON.stringify(first.data) });
      if (Number.isFinite(lastId) && lastId > 0) {
        // A log that cannot answer (Redis down) is a gap too: the client refetches state rather than trusting the stream.
        const { events, gap } = await bus.since(lastId).catch(() => ({ events: [], gap: true }));
        if (gap) await stream.writeSSE({ event: 'gap', data: JSON.stringify({ message: 'Some events were dropped from the buffer; refetch state.' }) });
        const seen = new Set(pending.map((e) => e.id));
        pending.unshift(...events.filter((e) => options.filter(e) && !seen.has(e.id)));
      }
      while (!closed) {
        const e = pending.shift();
        if (!e) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        await stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify({ ...e.data, time: e.time }) });
        if (options.last?.(e)) break;
      }
    } finally {
      off();
      if (timer) clearInterval(timer);
    }
  });
}
