import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface AuditTail {
  /** The last line's text (without its newline); undefined for an empty file. */
  lastLine: string | undefined;
  /** False when the file ends without a newline (a write was cut short). */
  terminated: boolean;
}

const CHUNK = 65_536;

/** Read the last line of a file by scanning back from its end, so a long log costs no more than its last line. */
export function readAuditTail(path: string): AuditTail {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { lastLine: undefined, terminated: true };
    const lastByte = Buffer.alloc(1);
    readSync(fd, lastByte, 0, 1, size - 1);
    const terminated = lastByte[0] === 0x0a;
    const chunks: Buffer[] = [];
    for (let pos = terminated ? size - 1 : size; pos > 0;) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, pos);
      const nl = buf.lastIndexOf(0x0a);
      chunks.unshift(nl >= 0 ? buf.subarray(nl + 1) : buf);
      if (nl >= 0) break;
    }
    return { lastLine: Buffer.concat(chunks).toString('utf8'), terminated };
  } finally {
    closeSync(fd);
  }
}
