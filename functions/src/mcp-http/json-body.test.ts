import { describe, expect, it } from 'vitest';
import { MAX_MCP_BODY_BYTES, readJsonBody } from './json-body';

const MESSAGE = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

/** A POST with Content-Length (a string body), or streamed without one (chunked on the wire). */
function post(text: string, framing: 'length' | 'chunked'): Request {
  if (framing === 'length') return new Request('http://x/mcp', { method: 'POST', body: text, headers: { 'content-length': String(Buffer.byteLength(text)) } });
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
      controller.close();
    },
  });
  return new Request('http://x/mcp', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('readJsonBody', () => {
  for (const framing of ['length', 'chunked'] as const) {
    it(`parses a JSON-RPC message (${framing})`, async () => {
      expect(await readJsonBody(post(JSON.stringify(MESSAGE), framing))).toEqual({ ok: true, body: MESSAGE });
    });

    it(`answers -32700 with 400 for a body that is not JSON (${framing})`, async () => {
      const read = await readJsonBody(post('{"jsonrpc":', framing));
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.response.status).toBe(400);
      expect(((await read.response.json()) as { error: { code: number } }).error.code).toBe(-32700);
    });

    it(`answers 413 for a body over ${MAX_MCP_BODY_BYTES} bytes (${framing})`, async () => {
      const read = await readJsonBody(post(JSON.stringify({ ...MESSAGE, pad: 'x'.repeat(MAX_MCP_BODY_BYTES) }), framing));
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.response.status).toBe(413);
    });
  }
});
