/**
 * The object's recent events (jobs, runners, tool state, service events), numbered, for the isolates to collect with their next reply
 * (broker-rpc.ts). An event caused by an isolate's call is `local` to that isolate and `remote` to the others; one the
 * object made on its own (a lost lease, a runner gone quiet) is `local` to the first isolate that collects it, so
 * exactly one isolate counts and publishes each event (docs/design.md, "Broker"). An isolate that stays away longer
 * than `capacity` events misses the oldest.
 */
import type { BrokerEventBody, DeliveredEvent } from './broker-rpc';

type Entry = { seq: number; owner: string | undefined; body: BrokerEventBody };

export class EventRing {
  private entries: Entry[] = [];
  private last = 0;
  /** The isolate whose call is running now (set around each call's synchronous part). */
  owner: string | undefined;

  constructor(private readonly capacity = 1000) {}

  get head(): number {
    return this.last;
  }

  push(body: BrokerEventBody): void {
    this.last += 1;
    this.entries.push({ seq: this.last, owner: this.owner, body });
    if (this.entries.length > this.capacity) this.entries = this.entries.slice(-this.capacity);
  }

  /** Events after `start`, as `isolate` sees them. */
  since(start: number, isolate: string): DeliveredEvent[] {
    const out: DeliveredEvent[] = [];
    for (const e of this.entries) {
      if (e.seq <= start) continue;
      e.owner ??= isolate;
      out.push({ seq: e.seq, origin: e.owner === isolate ? 'local' : 'remote', ...e.body });
    }
    return out;
  }
}
