/**
 * The spawn server's wire format, the runner's half (the C half and the layout: runner/src/sandbox/native/serve-frames.h).
 * Every frame: u32 length of what follows | u8 type | u32 job id | payload, in host byte order (both ends on one machine).
 */
import { endianness } from 'node:os';

const LE = endianness() === 'LE';
const HEAD = 9;

export type ServerEvent =
  | { type: 'ready' }
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'failed'; id: number; errno: number }
  | { type: 'output'; id: number; stream: 'stdout' | 'stderr'; bytes: Buffer }
  | { type: 'end'; id: number; stream: 'stdout' | 'stderr' }
  | { type: 'exit'; id: number; status: number };

function frame(type: string, id: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEAD + payload.length);
  if (LE) out.writeUInt32LE(payload.length + 5, 0);
  else out.writeUInt32BE(payload.length + 5, 0);
  out.write(type, 4, 'latin1');
  if (LE) out.writeUInt32LE(id, 5);
  else out.writeUInt32BE(id, 5);
  payload.copy(out, HEAD);
  return out;
}

/** An argv as the server reads it: each string NUL-terminated. */
function argvPayload(args: readonly string[]): Buffer {
  // A NUL inside an argument would split it in two on the other side: refuse it here, as spawn() does.
  for (const a of args) if (a.includes('\0')) throw new TypeError('an argument contains a NUL byte');
  return Buffer.from(args.map((a) => `${a}\0`).join(''), 'utf8');
}

/** "Spawn job `id` as the one-shot helper would run with `args`" (its argv without argv[0]). */
export function encodeSpawn(id: number, args: readonly string[]): Buffer {
  return frame('S', id, argvPayload(args));
}

/** "Prepare job `id` ahead" (native/warm.h): the helper's argv ending at the binary; it waits, hardened, for its arguments. */
export function encodeWarm(id: number, args: readonly string[]): Buffer {
  return frame('W', id, argvPayload(args));
}

/** "Warm job `id`: here are your arguments" (the strings after the binary; nothing else can be changed). */
export function encodeArgs(id: number, args: readonly string[]): Buffer {
  return frame('A', id, argvPayload(args));
}

/** "Send `signal` to job `id`'s pid (or its process group)", honoured only while the server has not reaped it. */
export function encodeKill(id: number, group: boolean, signal: number): Buffer {
  return frame('K', id, Buffer.from([group ? 1 : 0, signal]));
}

const STREAMS = { 1: 'stdout', 2: 'stderr' } as const;

/** Splits the server's stdout into events; a frame it does not know means the two ends disagree: it throws. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer, onEvent: (e: ServerEvent) => void): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= HEAD) {
      const len = LE ? buf.readUInt32LE(0) : buf.readUInt32BE(0);
      if (buf.length < 4 + len) break;
      onEvent(decode(buf.subarray(4, 4 + len)));
      buf = buf.subarray(4 + len);
    }
    this.pending = buf;
  }
}

function decode(f: Buffer): ServerEvent {
  const type = String.fromCharCode(f[0] ?? 0);
  const id = LE ? f.readUInt32LE(1) : f.readUInt32BE(1);
  const int = (): number => (LE ? f.readInt32LE(5) : f.readInt32BE(5));
  const stream = (): 'stdout' | 'stderr' => {
    const s = STREAMS[f[5] as 1 | 2];
    if (s === undefined) throw new Error(`spawn server: bad stream ${String(f[5])}`);
    return s;
  };
  switch (type) {
    case 'R':
      return { type: 'ready' };
    case 'P':
      return { type: 'spawned', id, pid: int() };
    case 'F':
      return { type: 'failed', id, errno: int() };
    case 'O':
      return { type: 'output', id, stream: stream(), bytes: f.subarray(6) };
    case 'E':
      return { type: 'end', id, stream: stream() };
    case 'X':
      return { type: 'exit', id, status: int() };
    default:
      throw new Error(`spawn server: unknown frame type ${JSON.stringify(type)}`);
  }
}
