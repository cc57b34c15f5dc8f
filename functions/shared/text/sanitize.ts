// Output from scanned hosts is untrusted: strip ANSI escapes, control characters and bidi overrides, then cap.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function sanitizeText(text: string, maxLength: number): string {
  const clean = text.replace(ANSI, '').replace(CONTROL, '');
  // At most maxLength characters in all, the ellipsis included, so results always fit their schema caps.
  return clean.length > maxLength ? `${clean.slice(0, Math.max(0, maxLength - 1))}…` : clean;
}

/** One line of output: also drops tabs and newlines. */
export function sanitizeLine(text: string, maxLength = 512): string {
  return sanitizeText(text.replace(/[\t\n]/g, ' '), maxLength);
}
