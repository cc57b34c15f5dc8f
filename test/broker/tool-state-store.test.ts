// ToolStateStore contract (functions/src/registry/tool-state-store.ts) against memory and a real redis-server, and the
// registry over it: a tool disabled through replica one is disabled on replica two at once, announced once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisToolStateStore } from '../../functions/node/broker/redis-tool-state-store';
import { type ToolChangeOrigin, ToolRegistry } from '../../functions/src/registry/tool-registry';
import { MemoryToolStateStore, type ToolStateStore } from '../../functions/src/registry/tool-state-store';
import { toolDefinitions } from '../../functions/tools/index';
import type { Redis } from 'ioredis';
import { redisFixture } from './shared-state-fixture';

const redis = redisFixture();
beforeAll(() => redis.start());
afterAll(() => redis.stop());

let stores: ToolStateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
  await redis.closeConnections();
});

type Make = () => Promise<[ToolStateStore, ToolStateStore]>;
const implementations: Array<[string, Make]> = [
  [
    'memory',
    async () => {
      const s = new MemoryToolStateStore();
      stores.push(s);
      return [s, s];
    },
  ],
  [
    'redis',
    async () => {
      const prefix = redis.prefix('tools');
      const pair: [ToolStateStore, ToolStateStore] = [
        new RedisToolStateStore(await redis.connect(), { prefix }),
        new RedisToolStateStore(await redis.connect(), { prefix }),
      ];
      stores.push(...pair);
      return pair;
    },
  ],
];

/** Resolves with the first (name, enabled) heard that satisfies `match`. */
const heard = (store: ToolStateStore, match: (name: string, on: boolean) => boolean): Promise<[string, boolean]> =>
  new Promise((resolve) => {
    const off = store.subscribe((name, on) => {
      if (!match(name, on)) return;
      off();
      resolve([name, on]);
    });
  });

describe.each(implementations)('ToolStateStore contract: %s', (_name, make) => {
  it('starts from the start state and says whether a set changed anything', async () => {
    const [store] = await make();
    expect(await store.init({ ping: true, nmap: false })).toEqual({ ping: true, nmap: false });
    expect(await store.set('ping', false)).toBe(true);
    expect(await store.set('ping', false)).toBe(false);
    expect(await store.set('nmap', true)).toBe(true);
  });

  it('keeps the state a running deployment already has when another replica starts', async () => {
    const [one, two] = await make();
    await one.init({ ping: true, dig: true });
    await one.set('ping', false);
    // Replica two starts with the same TOOL_INCLUDE/EXCLUDE, plus a tool only it knows.
    expect(await two.init({ ping: true, dig: true, extra: false })).toEqual({ ping: false, dig: true, extra: false });
  });
});

describe('RedisToolStateStore across replicas', () => {
  it('tells replica two at once what replica one changed, once per change', async () => {
    const [one, two] = await implementations[1]![1]();
    await one.init({ ping: true });
    await two.init({ ping: true });
    const onTwo = heard(two, (name, on) => name === 'ping' && !on);
    expect(await one.set('ping', false)).toBe(true);
    expect(await onTwo).toEqual(['ping', false]);
    expect(await two.set('ping', false)).toBe(false); // already disabled by replica one
  });

  it('hears the whole state again after its subscription was cut, so a change it missed is not lost', async () => {
    const prefix = redis.prefix('tools-cut');
    const admin = await redis.connect();
    const one = new RedisToolStateStore(admin, { prefix });
    const two = new RedisToolStateStore(await redis.connect(), { prefix });
    stores.push(one, two);
    await one.init({ ping: true });
    await two.init({ ping: true });
    two.subscribe(() => undefined);
    await heardSubscribed(admin, `${prefix}tools:changed`);
    const onTwo = heard(two, (name, on) => name === 'ping' && !on);
    // Cut replica two's subscription and change the hash without an announcement, atomically: only the re-read that
    // follows its reconnect can tell replica two.
    await admin.multi().client('KILL', 'TYPE', 'pubsub').hset(`${prefix}tools`, 'ping', '0').exec();
    expect(await onTwo).toEqual(['ping', false]);
  });
});

/** Until some connection is subscribed to `channel`. */
async function heardSubscribed(admin: Redis, channel: string): Promise<void> {
  while (Number((await admin.pubsub('NUMSUB', channel))[1]) < 1) await new Promise((r) => setTimeout(r, 10));
}

describe('ToolRegistry over a shared store (two replicas)', () => {
  it('disables a tool on replica two when an admin disables it through replica one, announced as local only on one', async () => {
    const prefix = redis.prefix('registry');
    const storeOne = new RedisToolStateStore(await redis.connect(), { prefix });
    const storeTwo = new RedisToolStateStore(await redis.connect(), { prefix });
    stores.push(storeOne, storeTwo);
    const one = new ToolRegistry(toolDefinitions, { exclude: 'nmap', store: storeOne });
    const two = new ToolRegistry(toolDefinitions, { exclude: 'nmap', store: storeTwo });
    await Promise.all([one.ready, two.ready]);
    expect(two.isEnabled('nmap')).toBe(false);
    const changes: Array<[string, string, boolean, ToolChangeOrigin]> = [];
    one.onChange((name, on, origin) => changes.push(['one', name, on, origin]));
    const onTwo = new Promise<void>((resolve) =>
      two.onChange((name, on, origin) => {
        changes.push(['two', name, on, origin]);
        resolve();
      }),
    );
    expect(await one.setEnabled('ping', false)).toBe(true);
    expect(one.isEnabled('ping')).toBe(false);
    await onTwo;
    expect(two.isEnabled('ping')).toBe(false);
    expect(two.enabledTools().map((d) => d.name)).not.toContain('ping');
    expect(changes.filter((c) => c[3] === 'local')).toEqual([['one', 'ping', false, 'local']]);
    expect(changes).toContainEqual(['two', 'ping', false, 'remote']);
    one.close();
    two.close();
  });

  it("ends with every replica on the store's state when two admins toggle one tool through two replicas at once", async () => {
    const prefix = redis.prefix('registry-race');
    const admin = await redis.connect();
    const registries = await Promise.all(
      [0, 1].map(async () => {
        const store = new RedisToolStateStore(await redis.connect(), { prefix });
        stores.push(store);
        const registry = new ToolRegistry(toolDefinitions, { store });
        await registry.ready;
        return registry;
      }),
    );
    const [one, two] = registries as [ToolRegistry, ToolRegistry];
    for (let round = 0; round < 20; round += 1) {
      await Promise.all([one.setEnabled('dig', round % 2 === 0), two.setEnabled('dig', round % 2 === 1)]);
    }
    const truth = (await admin.hget(`${prefix}tools`, 'dig')) === '1';
    for (let tries = 0; [one, two].some((r) => r.isEnabled('dig') !== truth); tries += 1) {
      if (tries > 500) throw new Error('replicas did not converge on the stored state');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect([one.isEnabled('dig'), two.isEnabled('dig')]).toEqual([truth, truth]);
    one.close();
    two.close();
  });
});
