import { createReadStream } from 'node:fs';
import { ChainVerifier } from './audit-chain';

export type ChainReport = { ok: true; entries: number } | { ok: false; line: number; problem: string };

/** Longest line accepted; real entries are a few hundred bytes. */
const MAX_LINE_BYTES = 1_048_576;

/** Verify an audit file's hash chain, streaming it line by line (memory stays bounded by MAX_LINE_BYTES). */
export async function verifyAuditFile(path: string): Promise<ChainReport> {
  const verifier = new ChainVerifier();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = (part: Buffer): ChainReport | undefined => {
    const bytes = Buffer.concat([...pending, part]);
    pending = [];
    pendingBytes = 0;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { ok: false, line: verifier.lines + 1, problem: 'not valid UTF-8' };
    }
    const problem = verifier.check(text);
    return problem === undefined ? undefined : { ok: false, line: verifier.lines, problem };
  };
  for await (const chunk of createReadStream(path)) {
    let buf = chunk as Buffer;
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
      const failed = take(buf.subarray(0, nl));
      if (failed) return failed;
      buf = buf.subarray(nl + 1);
    }
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes > MAX_LINE_BYTES) return { ok: false, line: verifier.lines + 1, problem: `line longer than ${MAX_LINE_BYTES} bytes` };
  }
  if (pendingBytes > 0) {
    const failed = take(Buffer.alloc(0));
    if (failed) return failed;
  }
  return { ok: true, entries: verifier.lines };
}
