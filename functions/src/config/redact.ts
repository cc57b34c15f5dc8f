/** What GET /config never shows: secrets by name, and anything that looks like a token hash. */
/** REDIS_URL: a Redis URL may carry a password (redis://:secret@host). */
const SECRET_NAME = /TOKEN|SECRET|KEY|PASSWORD|PASSWD|CREDENTIAL|REDIS_URL/i;
const HASH_LIKE = /\b[0-9a-f]{40,}\b/i;

export const REDACTED = '[redacted]';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Redact a value by its key's name, or, whatever the name, when it carries something hash-like. */
export function shouldRedact(key: string, value: unknown): boolean {
  if (isSecretName(key)) return true;
  if (typeof value === 'string') return HASH_LIKE.test(value);
  if (typeof value === 'object' && value !== null) return Object.keys(value).some(isSecretName) || HASH_LIKE.test(JSON.stringify(value));
  return false;
}
