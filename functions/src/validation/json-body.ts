import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env';

/**
 * A required JSON request body, read exactly as @hono/zod-openapi 1.6 and hono's validator read it (their rules are
 * copied here, not imported: neither exports them), for the one-step validator (one-step-validator.ts):
 * 1. the media type gate: a Content-Type that matches no declared media type, or none with a non-empty body, is 415;
 * 2. the JSON validator: a JSON Content-Type's body is parsed (400 "Malformed JSON in request body" when it is not
 *    JSON); any other leaves the value `{}` for the schema to refuse.
 */
export interface JsonBodyGate {
  declared: readonly string[];
}

export const jsonBodyGate = (declared: readonly string[]): JsonBodyGate => ({ declared });

// @hono/zod-openapi's matchesMediaType for a JSON media type.
const isJsonMediaType = (mediaType: string): boolean => /^application\/([a-z-.]+\+)?json/i.test(mediaType);
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const MULTIPART_REQUEST = /^multipart\/form-data(;\s?boundary=[a-zA-Z0-9'"()+_,\-./:=?]+)?$/i;
const URLENCODED_REQUEST = /^application\/x-www-form-urlencoded(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const isFormMediaType = (mediaType: string): boolean => /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(mediaType);

function matchesMediaType(contentType: string, mediaType: string): boolean {
  if (mediaType === '*/*') return true;
  if (isJsonMediaType(mediaType)) return JSON_REQUEST.test(contentType);
  if (isFormMediaType(mediaType)) return MULTIPART_REQUEST.test(contentType) || URLENCODED_REQUEST.test(contentType);
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (mediaType.endsWith('/*')) return essence.startsWith(mediaType.slice(0, -1).toLowerCase());
  return essence === mediaType.toLowerCase();
}

async function hasRequestBody(c: Context<AppEnv>): Promise<boolean> {
  const raw = c.req.raw;
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await c.req.arrayBuffer()).byteLength > 0;
  const body = raw.clone().body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

// hono's validator: the JSON target is read only for a JSON media type.
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** The body's value for the schema, after the media type gate. */
export async function readJsonBody(c: Context<AppEnv>, gate: JsonBodyGate): Promise<unknown> {
  const contentType = c.req.header('content-type');
  if (contentType) {
    if (!gate.declared.some((mediaType) => matchesMediaType(contentType, mediaType))) throw new HTTPException(415, { message: 'Unsupported Media Type' });
  } else if (await hasRequestBody(c)) {
    throw new HTTPException(415, { message: 'Unsupported Media Type' });
  }
  const mediaType = contentType ? (contentType.split(';')[0] ?? '').trim().toLowerCase() : '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) return {};
  try {
    return (await c.req.json()) as unknown;
  } catch {
    throw new HTTPException(400, { message: 'Malformed JSON in request body' });
  }
}
