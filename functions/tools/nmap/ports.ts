/**
 * nmap port specifications, restricted to a canonical subset: comma-separated entries, each a port number
 * or an ascending range "low-high". nmap's richer syntax ("T:", "U:", "[...]", service names, open-ended
 * ranges such as "-100" or "1-") is not accepted, so the spec always starts with a digit and can never be
 * read as an option. Pure: used by the API schema and the runner alike.
 */

export const MAX_PORT_SPEC_ENTRIES = 64;
export const MAX_PORT_SPEC_LENGTH = 512;

export type PortSpecVerdict = { ok: true; entries: number; ports: number } | { ok: false; reason: string };

// No leading zeros: one canonical spelling per number.
const NUMBER = /^[1-9][0-9]{0,4}$/;

function parsePort(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function checkPortSpec(spec: string): PortSpecVerdict {
  if (spec.length === 0) return { ok: false, reason: 'the port list is empty' };
  if (spec.length > MAX_PORT_SPEC_LENGTH) return { ok: false, reason: `the port list is longer than ${MAX_PORT_SPEC_LENGTH} characters` };
  if (!/^[0-9,-]+$/.test(spec)) return { ok: false, reason: 'only digits, "," and "-" are allowed (e.g. "22,80,443,8000-8100")' };
  const entries = spec.split(',');
  if (entries.length > MAX_PORT_SPEC_ENTRIES) return { ok: false, reason: `at most ${MAX_PORT_SPEC_ENTRIES} entries are allowed` };
  let ports = 0;
  for (const entry of entries) {
    const bounds = entry.split('-');
    if (bounds.length > 2) return { ok: false, reason: `"${entry}" is not a port or a range` };
    const low = parsePort(bounds[0] ?? '');
    const high = bounds.length === 2 ? parsePort(bounds[1] ?? '') : low;
    if (low === undefined || high === undefined) return { ok: false, reason: `"${entry}" is not a port (1-65535) or a range of ports` };
    if (bounds.length === 2 && high <= low) return { ok: false, reason: `the range "${entry}" must go from a lower to a higher port` };
    ports += high - low + 1;
  }
  return { ok: true, entries: entries.length, ports };
}

export function isValidPortSpec(spec: string): boolean {
  return checkPortSpec(spec).ok;
}
