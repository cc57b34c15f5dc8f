import type { Redis } from 'ioredis';
import type { ToolStateListener, ToolStateStore } from '../../src/registry/tool-state-store';
import { LuaScript, readyCall } from './redis-script';

/** Set one tool and announce it, only when it changes: the "changed" answer and the message come from one atomic step. */
const SET = new LuaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[1] .. '=' .. ARGV[2])
return 1
`);

const ON = '1';
const OFF = '0';

export interface RedisToolStateStoreOptions {
  /** Key prefix shared by every replica of one deployment; default "netdiag:". */
  prefix?: string | undefined;
}

/**
 * Tool enable/disable in one Redis hash (tool → 1/0) shared by all replicas, changes announced on a pub/sub channel
 * (docs/design.md, "Broker"). The state outlives API restarts as long as Redis keeps its data; TOOL_INCLUDE/EXCLUDE
 * only seed tools the hash does not know yet (delete the key to start again from them).
 */
export class RedisToolStateStore implements ToolStateStore {
  private readonly hash: string;
  private readonly channel: string;
  private readonly listeners = new Set<ToolStateListener>();
  private start: Readonly<Record<string, boolean>> = {};
  private subscriber: Redis | undefined;
  private offReady: () => void = () => undefined;

  constructor(
    private readonly redis: Redis,
    options: RedisToolStateStoreOptions = {},
  ) {
    const prefix = options.prefix ?? 'netdiag:';
    this.hash = `${prefix}tools`;
    this.channel = `${prefix}tools:changed`;
  }

  async init(start: Readonly<Record<string, boolean>>): Promise<Record<string, boolean>> {
    this.start = { ...this.start, ...start }; // init({}) only re-reads (ToolRegistry.announced)
    return readyCall(this.redis, 'tool state', () => this.seedAndRead(this.redis));
  }

  async set(name: string, enabled: boolean): Promise<boolean> {
    const changed = await readyCall(this.redis, 'tool state', () => SET.run(this.redis, [this.hash, this.channel], [name, enabled ? ON : OFF]));
    return changed === 1;
  }

  subscribe(listener: ToolStateListener): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) this.listen();
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.offReady();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  /** A dedicated subscriber connection; on every (re)connect the whole state is read again, so nothing missed stays missed. */
  private listen(): void {
    // Subscribed connections do nothing else; the offline queue keeps SUBSCRIBE until Redis is reachable.
    const sub = this.redis.duplicate({ connectionName: 'netdiag-api-tool-state', enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber = sub;
    sub.on('error', () => undefined); // seen through its status and the broker's health check; ioredis reconnects
    sub.on('message', (_channel: string, message: string) => {
      const at = message.lastIndexOf('=');
      this.emit(message.slice(0, at), message.slice(at + 1) === ON);
    });
    const resync = (): void => {
      void this.seedAndRead(this.redis).then(
        (state) => {
          for (const [name, on] of Object.entries(state)) this.emit(name, on);
        },
        () => undefined, // still down: the next 'ready' of either connection tries again
      );
    };
    sub.on('ready', resync);
    this.redis.on('ready', resync);
    this.offReady = () => this.redis.off('ready', resync);
    void sub.subscribe(this.channel).catch(() => undefined); // ioredis re-subscribes by itself after a reconnect
  }

  private async seedAndRead(redis: Redis): Promise<Record<string, boolean>> {
    const batch = redis.multi();
    for (const [name, on] of Object.entries(this.start)) batch.hsetnx(this.hash, name, on ? ON : OFF);
    batch.hgetall(this.hash);
    const replies = (await batch.exec()) ?? [];
    const [err, all] = replies[replies.length - 1] ?? [null, {}];
    if (err) throw err;
    return Object.fromEntries(Object.entries(all as Record<string, string>).map(([name, v]) => [name, v === ON]));
  }

  private emit(name: string, on: boolean): void {
    for (const l of [...this.listeners]) l(name, on);
  }
}
