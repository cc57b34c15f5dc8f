import { createHash } from 'node:crypto';
import { HTTP_CAPS, type HttpProbeResult } from './definition';
import { sanitizeLine, sanitizeText } from '../../shared/text/sanitize';

type Headers = Pick<HttpProbeResult, 'headers' | 'headerCount' | 'headersTruncated'>;

/**
 * Node hands header values over as latin1 (one char per byte). Decoding the bytes as UTF-8 instead lets the
 * sanitizer see real code points (a UTF-8 bidi override is one character it strips, not three latin1 ones
 * it would keep as mojibake); bytes that are not UTF-8, such as a lone C1 CSI 0x9b, become U+FFFD, inert.
 * Headers are ASCII by RFC 9110, so little legitimate text is lost.
 */
const redecode = (value: string): string => Buffer.from(value, 'latin1').toString('utf8');

/** rawHeaders keeps order and duplicates; names and values are sanitized and capped, the count bounded. */
export function collectHeaders(rawHeaders: readonly string[]): Headers {
  const headers: HttpProbeResult['headers'] = [];
  const headerCount = Math.floor(rawHeaders.length / 2);
  for (let i = 0; i + 1 < rawHeaders.length && headers.length < HTTP_CAPS.headers; i += 2) {
    headers.push({
      name: sanitizeLine(rawHeaders[i] ?? '', HTTP_CAPS.headerName),
      value: sanitizeLine(redecode(rawHeaders[i + 1] ?? ''), HTTP_CAPS.headerValue),
    });
  }
  return { headers, headerCount, headersTruncated: headerCount > headers.length };
}

/** Reads at most `cap` body bytes: hashes them, keeps a preview, and says when the cap was hit. */
export class BodyReader {
  private readonly hash = createHash('sha256');
  private readonly previewChunks: Buffer[] = [];
  private previewBytes = 0;
  bytesRead = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Take what fits; returns false once the cap is reached and the rest must not be read. */
  push(chunk: Buffer): boolean {
    const room = this.cap - this.bytesRead;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (chunk.length > room) this.truncated = true;
    this.hash.update(part);
    this.bytesRead += part.length;
    const previewRoom = HTTP_CAPS.previewBytes - this.previewBytes;
    if (previewRoom > 0) {
      const p = part.subarray(0, previewRoom);
      this.previewChunks.push(p);
      this.previewBytes += p.length;
    }
    return !this.truncated;
  }

  summary(interrupted: boolean): HttpProbeResult['body'] {
    // A digest is final once taken: copy() keeps summary() callable more than once.
    const sha256 = this.hash.copy().digest('hex');
    const preview = sanitizeText(Buffer.concat(this.previewChunks).toString('utf8'), HTTP_CAPS.previewBytes);
    return { bytesRead: this.bytesRead, truncated: this.truncated, interrupted, sha256, preview };
  }
}
