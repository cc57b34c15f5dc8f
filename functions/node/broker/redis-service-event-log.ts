import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ServiceEvent, ServiceEventListener, ServiceEventLog } from '../../src/events/service-event-log';
import { LuaScript, readyCall } from './redis-script';

/**
 * Id and append in one step, so ids are one increasing integer sequence across replicas (the SSE `id` stays numeric,
 * as openapi/ and the shim expect) and the stream never sees them out of order: stream entry N-0 is event N.
 * MAXLEN ~ keeps at least `capacity` entries and trims whole nodes only (cheap). Every entry carries the log's epoch
 * (set by the first append into an empty Redis): readers compare it after a reconnect to tell a Redis that lost its
 * data, whose ids start again at 1, from one that merely dropped the connection.
 */
const APPEND = new LuaScript(`
redis.call('SET', KEYS[3], ARGV[3], 'NX')
local epoch = redis.call('GET', KEYS[3])
local id = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], id .. '-0', 'e', ARGV[2], 'p', epoch)
return id
`);

/** Pause before reading again after a failed read (Redis down: ioredis reconnects meanwhile). */
const RETRY_MS = 250;

type StreamEntry = [id: string, fields: string[]];

/** Where a reader is: the last stream entry id it delivered (or the end it started at), and that entry's epoch. */
interface Position {
  last: string;
  epoch: string | undefined;
}

/** The event id of a stream entry id (N-0). */
const seq = (streamId: string): number => Number(streamId.split('-')[0]);

const field = (fields: string[], name: string): string | undefined => {
  const at = fields.indexOf(name);
  return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
};

function toEvent([id, fields]: StreamEntry): ServiceEvent | undefined {
  const text = field(fields, 'e');
  if (text === undefined) return undefined;
  const body = JSON.parse(text) as Omit<ServiceEvent, 'id'>;
  return { id: seq(id), type: body.type, time: body.time, data: body.data };
}

export interface RedisServiceEventLogOptions {
  /** Key prefix shared by every replica of one deployment; default "netdiag:". */
  prefix?: string | undefined;
  /** Events kept for Last-Event-ID replay (at least); default 1000 like the memory log. */
  capacity?: number | undefined;
  now?: (() => number) | undefined;
}

/**
 * The service event log as a capped Redis stream shared by all replicas (docs/design.md, "Broker"). Every replica runs
 * one reader on its own connection (XREAD BLOCK: no polling), so a subscriber on any replica receives every event,
 * the publishing replica's own included, exactly once and in id order.
 */
export class RedisServiceEventLog implements ServiceEventLog {
  private readonly stream: string;
  private readonly counter: string;
  private readonly epochKey: string;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly listeners = new Set<ServiceEventListener>();
  private reader: Redis | undefined;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    options: RedisServiceEventLogOptions = {},
  ) {
    const prefix = options.prefix ?? 'netdiag:';
    this.stream = `${prefix}events`;
    this.counter = `${prefix}events:id`;
    this.epochKey = `${prefix}events:epoch`;
    this.capacity = options.capacity ?? 1000;
    this.now = options.now ?? Date.now;
  }

  async publish(type: string, data: Record<string, unknown>): Promise<ServiceEvent> {
    const time = new Date(this.now()).toISOString();
    const payload = JSON.stringify({ type, time, data });
    const id = await readyCall(this.redis, 'service event', () =>
      APPEND.run(this.redis, [this.stream, this.counter, this.epochKey], [this.capacity, payload, randomUUID()]),
    );
    return { id: Number(id), type, time, data };
  }

  async since(lastId: number): Promise<{ events: ServiceEvent[]; gap: boolean }> {
    const from = Math.max(0, Math.floor(lastId)) + 1;
    const [first, after] = await readyCall(this.redis, 'service events', () =>
      Promise.all([this.redis.xrange(this.stream, '-', '+', 'COUNT', 1), this.redis.xrange(this.stream, `${from}-0`, '+')]),
    );
    const firstId = first[0] ? seq(first[0][0]) : undefined;
    const events = after.map(toEvent).filter((e): e is ServiceEvent => e !== undefined);
    return { events, gap: firstId !== undefined && lastId < firstId - 1 };
  }

  subscribe(listener: ServiceEventListener): () => void {
    this.listeners.add(listener);
    if (!this.reader && !this.closed) {
      // Its own connection: XREAD BLOCK holds it, with no command timeout. A read cut off by a disconnect must fail
      // (maxRetriesPerRequest 0: ioredis rejects it at the first reconnect attempt) rather than be re-sent with a stale
      // position, so the loop can check where to go on from; while Redis is down it retries at the reconnect pace.
      this.reader = this.redis.duplicate({
        connectionName: 'netdiag-api-event-reader',
        enableOfflineQueue: true,
        maxRetriesPerRequest: 0,
        commandTimeout: undefined,
        autoResendUnfulfilledCommands: false,
      });
      this.reader.on('error', () => undefined); // seen through its status and the broker's health check; ioredis reconnects
      // The start position is asked on the command connection, ahead of this replica's next publish on it: whatever
      // this replica publishes after subscribe() reaches its own subscribers, even before the reader has connected.
      void this.read(
        this.reader,
        this.position(this.redis).catch(() => undefined),
      );
    }
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.reader?.disconnect();
    this.reader = undefined;
  }

  /**
   * From the stream's current end onwards, every entry once, to every listener. After a failed read the position is
   * checked again: a Redis that lost its data (restarted without persistence) starts its ids afresh, and reading on
   * after the old position would then miss every new event.
   */
  private async read(reader: Redis, start: Promise<Position | undefined>): Promise<void> {
    let at = await start;
    while (!this.closed) {
      try {
        at ??= await this.position(reader);
        const reply = (await reader.xread('BLOCK', 0, 'STREAMS', this.stream, at.last)) as Array<[string, StreamEntry[]]> | null;
        for (const entry of reply?.[0]?.[1] ?? []) {
          at = { last: entry[0], epoch: field(entry[1], 'p') ?? at.epoch };
          const event = toEvent(entry);
          if (event) this.deliver(event);
        }
      } catch {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        at = at && (await this.resumeFrom(reader, at));
      }
    }
  }

  /** The stream's end now, and its epoch. */
  private async position(redis: Redis): Promise<Position> {
    const [top, epoch] = await Promise.all([redis.xrevrange(this.stream, '+', '-', 'COUNT', 1), redis.get(this.epochKey)]);
    return { last: top[0]?.[0] ?? '0-0', epoch: epoch ?? undefined };
  }

  /** After a failed read: go on from `at`, or from the start of the stream when Redis lost the data `at` refers to. */
  private async resumeFrom(reader: Redis, at: Position): Promise<Position | undefined> {
    try {
      const epoch = (await reader.get(this.epochKey)) ?? undefined;
      return at.epoch === undefined || epoch === at.epoch ? at : { last: '0-0', epoch };
    } catch {
      return at; // still down: the next read fails too and comes back here
    }
  }

  private deliver(event: ServiceEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // One listener's failure must not keep the event from the others (nor stop the reader).
      }
    }
  }
}
