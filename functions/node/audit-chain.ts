import { hash } from 'node:crypto';

/**
 * The audit log's line format. Each line is one JSON object that ends with two fields:
 *   prevHash — SHA-256 (hex) of the previous line's exact text (GENESIS_HASH for the first line);
 *   hash     — SHA-256 of this line's own text up to the hash field, closed with `}`.
 * `prevHash` chains the lines, so a removed, inserted or reordered line breaks the chain at the line after it;
 * `hash` seals each line, so a changed value is caught at the line that was changed.
 */
export const GENESIS_HASH = '0'.repeat(64);

// One-shot hash (Node >= 20.12): no Hash object per line; each ended job's line is on the held call's path (issue 12).
export const lineHash = (text: string): string => hash('sha256', text, 'hex');

const SEAL = /,"hash":"([0-9a-f]{64})"\}$/;

/** One line of text (no newline) for `record`, chained to the line whose hash is `prevHash`. */
export function sealLine(record: Readonly<Record<string, unknown>>, prevHash: string): string {
  const body = JSON.stringify({ ...record, prevHash });
  return `${body.slice(0, -1)},"hash":"${lineHash(body)}"}`;
}

/** Checks lines in order; `check` returns what is wrong with the next line, or undefined when it holds. */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private count = 0;

  get lines(): number {
    return this.count;
  }

  check(text: string): string | undefined {
    this.count += 1;
    const problem = this.problemWith(text);
    this.prevHash = lineHash(text);
    return problem;
  }

  private problemWith(text: string): string | undefined {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      return text.length === 0 ? 'empty line' : 'not valid JSON (cut short or edited)';
    }
    const seal = SEAL.exec(text);
    if (!seal || typeof record !== 'object' || record === null) return 'no "hash" field closing the line';
    if (lineHash(`${text.slice(0, seal.index)}}`) !== seal[1]) return 'the line does not match its own hash: its content was changed';
    const prev = (record as { prevHash?: unknown }).prevHash;
    if (prev !== this.prevHash) {
      return this.count === 1
        ? 'prevHash is not the genesis value: lines before this one are missing'
        : `prevHash does not match line ${this.count - 1}: a line was removed, inserted or changed before this one`;
    }
    return undefined;
  }
}
