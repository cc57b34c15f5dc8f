/**
 * Output kept up to a byte cap; everything past it is counted and dropped as it arrives, so memory
 * stays bounded whatever the process writes.
 */
export class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte seen, kept or not (what the process really wrote). */
  seen = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Keep what fits; returns the part kept (empty once the cap is reached). */
  push(chunk: Buffer): Buffer {
    this.seen += chunk.length;
    const room = this.cap - this.kept;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return chunk.subarray(0, 0);
    }
    // Copy a partial chunk: a subarray would pin the whole (up to 64 KiB) read buffer.
    const kept = chunk.length > room ? Buffer.from(chunk.subarray(0, room)) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.chunks.push(kept);
    this.kept += kept.length;
    return kept;
  }

  get full(): boolean {
    return this.kept >= this.cap;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
