import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { describe, expect, it } from 'vitest';
import { McpSessions } from './sessions';

const transport = {} as WebStandardStreamableHTTPServerTransport;

function registry(max: number, idleMs: number) {
  let now = 1_000;
  const closed: string[] = [];
  const sessions = new McpSessions({ max, idleMs }, () => now);
  const open = (id: string, principal = 'p1'): void => sessions.add({ id, principal, transport, close: async () => void closed.push(id) });
  return { sessions, closed, open, advance: (ms: number) => (now += ms) };
}

describe('McpSessions', () => {
  it('finds a session only for the principal that opened it', () => {
    const r = registry(10, 60_000);
    r.open('s1', 'alice');
    expect(r.sessions.find('s1', 'alice')?.id).toBe('s1');
    expect(r.sessions.find('s1', 'bob')).toBeUndefined();
    expect(r.sessions.find('nope', 'alice')).toBeUndefined();
  });

  it('closes sessions idle past the limit when room is needed, and keeps used ones', async () => {
    const r = registry(2, 60_000);
    r.open('old');
    r.open('busy');
    r.advance(59_000);
    r.sessions.find('busy', 'p1');
    expect(await r.sessions.hasRoom()).toBe(false);
    r.advance(2_000);
    expect(await r.sessions.hasRoom()).toBe(true);
    expect(r.closed).toEqual(['old']);
    expect(r.sessions.size).toBe(1);
  });

  it('closes every session at shutdown', async () => {
    const r = registry(10, 60_000);
    for (const id of ['a', 'b', 'c']) r.open(id);
    await r.sessions.closeAll();
    expect(r.closed.sort()).toEqual(['a', 'b', 'c']);
    expect(r.sessions.size).toBe(0);
  });
});
