import type { FinishedSpan } from './lite-span';
import type { OtlpTraceConfig } from './otlp-config';
import { otlpJsonBody } from './otlp-json';

/**
 * A batch span processor for the lite tracer: spans queue (bounded; the overflow is dropped and counted), a timer
 * sends a batch every OTEL_BSP_SCHEDULE_DELAY, a full batch goes at once, and shutdown sends what is left.
 * Export failures are reported once per failure to `onError` and never thrown: tracing must not break a call.
 */
export class BatchExporter {
  private queue: FinishedSpan[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = new Set<Promise<void>>();
  dropped = 0;

  constructor(
    private readonly config: OtlpTraceConfig,
    private readonly send: typeof fetch,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  readonly onEnd = (span: FinishedSpan): void => {
    if (this.queue.length >= this.config.maxQueue) {
      this.dropped += 1;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.config.maxBatch) this.flushBatch();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flushBatch();
      }, this.config.delayMs);
      // Never keep the process alive for telemetry (Node); a no-op elsewhere.
      (this.timer as { unref?: () => void }).unref?.();
    }
  };

  /** Send everything queued and wait for every request in flight. */
  async forceFlush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) this.flushBatch();
    await Promise.all([...this.inFlight]);
  }

  private flushBatch(): void {
    const batch = this.queue.splice(0, this.config.maxBatch);
    if (batch.length === 0) return;
    const sent = this.post(batch).finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }

  private async post(batch: FinishedSpan[]): Promise<void> {
    try {
      const res = await this.send(this.config.url, {
        method: 'POST',
        headers: { ...this.config.headers, 'content-type': 'application/json' },
        body: JSON.stringify(otlpJsonBody(batch, this.config.resource)),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.onError(`OTLP export got HTTP ${res.status} for ${batch.length} spans`);
    } catch (err) {
      this.onError(`OTLP export failed for ${batch.length} spans: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
