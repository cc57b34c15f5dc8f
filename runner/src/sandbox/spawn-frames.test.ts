/** The runner's half of the spawn server's wire format (spawn-frames.ts; the C half: native/serve-frames.h). */
import { describe, expect, it } from 'vitest';
import { encodeArgs, encodeKill, encodeSpawn, encodeWarm, FrameDecoder, type ServerEvent } from './spawn-frames';

/** A frame as the server writes it (host byte order, as the runner reads it). */
function serverFrame(type: string, id: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt32LE(payload.length + 5, 0);
  head.write(type, 4, 'latin1');
  head.writeUInt32LE(id, 5);
  return Buffer.concat([head, payload]);
}
const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};

describe('spawn frames', () => {
  it('encodes a spawn request as NUL-terminated strings and refuses an argument with a NUL byte', () => {
    const f = encodeSpawn(7, ['--as', '1', '--', '/usr/bin/echo', 'héllo']);
    expect(f.readUInt32LE(0)).toBe(f.length - 4);
    expect(f.toString('latin1', 4, 5)).toBe('S');
    expect(f.readUInt32LE(5)).toBe(7);
    expect(f.subarray(9).toString('utf8')).toBe('--as\x001\x00--\x00/usr/bin/echo\x00héllo\x00');
    expect(() => encodeSpawn(8, ['a\0b'])).toThrow(/NUL/);
    expect([...encodeKill(9, true, 10).subarray(9)]).toEqual([1, 10]);
  });

  it('encodes a warm job and its arguments like a spawn request, with their own types (native/warm.h)', () => {
    const warm = encodeWarm(3, ['--', '/usr/bin/ping']);
    expect(warm.toString('latin1', 4, 5)).toBe('W');
    expect(warm.readUInt32LE(5)).toBe(3);
    expect(warm.subarray(9).toString('utf8')).toBe('--\x00/usr/bin/ping\x00');
    const args = encodeArgs(3, ['-c1', '127.0.0.1']);
    expect(args.readUInt32LE(0)).toBe(args.length - 4);
    expect(args.toString('latin1', 4, 5)).toBe('A');
    expect(args.subarray(9).toString('utf8')).toBe('-c1\x00127.0.0.1\x00');
    expect(() => encodeWarm(4, ['a\0b'])).toThrow(/NUL/);
    expect(() => encodeArgs(4, ['a\0b'])).toThrow(/NUL/);
  });

  it('decodes events however the stream is split, down to one byte at a time', () => {
    const stream = Buffer.concat([
      serverFrame('R', 0, Buffer.alloc(0)),
      serverFrame('P', 1, int(4242)),
      serverFrame('O', 1, Buffer.from('\x01hello')),
      serverFrame('O', 1, Buffer.from('\x02oops')),
      serverFrame('E', 1, Buffer.from([1])),
      serverFrame('X', 1, int(9)),
      serverFrame('F', 2, int(11)),
    ]);
    const expected: ServerEvent[] = [
      { type: 'ready' },
      { type: 'spawned', id: 1, pid: 4242 },
      { type: 'output', id: 1, stream: 'stdout', bytes: Buffer.from('hello') },
      { type: 'output', id: 1, stream: 'stderr', bytes: Buffer.from('oops') },
      { type: 'end', id: 1, stream: 'stdout' },
      { type: 'exit', id: 1, status: 9 },
      { type: 'failed', id: 2, errno: 11 },
    ];
    for (const size of [1, 2, 5, 9, 13, stream.length]) {
      const got: ServerEvent[] = [];
      const d = new FrameDecoder();
      for (let i = 0; i < stream.length; i += size) d.push(stream.subarray(i, i + size), (e) => got.push(e));
      expect(got).toEqual(expected);
    }
  });

  it('throws on a frame type or stream it does not know', () => {
    expect(() => new FrameDecoder().push(serverFrame('Z', 1, Buffer.alloc(0)), () => undefined)).toThrow(/unknown frame type/);
    expect(() => new FrameDecoder().push(serverFrame('E', 1, Buffer.from([3])), () => undefined)).toThrow(/bad stream/);
  });
});
