import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { SyncContextManager } from './sync-context-manager';

const KEY = createContextKey('test');
const a = ROOT_CONTEXT.setValue(KEY, 'a');
const b = ROOT_CONTEXT.setValue(KEY, 'b');

describe('SyncContextManager', () => {
  it('makes a context active for the synchronous call only, nested, and restores it after a throw', async () => {
    const m = new SyncContextManager().enable();
    const seen: unknown[] = [];
    const later = m.with(a, async () => {
      seen.push(m.active().getValue(KEY));
      m.with(b, () => seen.push(m.active().getValue(KEY)));
      expect(() =>
        m.with(b, () => {
          throw new Error('x');
        }),
      ).toThrow('x');
      seen.push(m.active().getValue(KEY));
      await Promise.resolve();
      return m.active().getValue(KEY); // no async propagation: the caller passes the context on
    });
    expect(seen).toEqual(['a', 'b', 'a']);
    expect(await later).toBeUndefined();
    expect(m.active()).toBe(ROOT_CONTEXT);
  });

  it('binds a function to a context with its arguments and receiver; other values pass through', () => {
    const m = new SyncContextManager();
    const receiver = { tag: 't' };
    const bound = m.bind(a, function (this: { tag: string }, n: number) {
      return `${this.tag}${n}${String(m.active().getValue(KEY))}`;
    });
    expect(bound.call(receiver, 1)).toBe('t1a');
    const plain = { x: 1 };
    expect(m.bind(a, plain)).toBe(plain);
  });
});
