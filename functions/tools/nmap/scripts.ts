// Pure data without zod: the MCP layer (and so the shim bundle) reads it to know which calls are intrusive.

/**
 * The NSE scripts a caller may pick, with their categories as /usr/share/nmap/scripts/script.db (nmap 7.93)
 * lists them. Scripts in exploit, dos or malware are never listed. Any category in GATED_CATEGORIES makes a
 * script need MCP_ALLOW_INTRUSIVE, even when it is also "safe" (ftp-anon tries a login: auth).
 */
export const NMAP_SCRIPTS = {
  banner: ['discovery', 'safe'],
  'http-title': ['default', 'discovery', 'safe'],
  'http-headers': ['discovery', 'safe'],
  'http-server-header': ['version'],
  'http-methods': ['default', 'safe'],
  'http-robots.txt': ['default', 'discovery', 'safe'],
  'ssl-cert': ['default', 'discovery', 'safe'],
  'ssh-hostkey': ['default', 'discovery', 'safe'],
  'ssh2-enum-algos': ['discovery', 'safe'],
  'smtp-commands': ['default', 'discovery', 'safe'],
  'ftp-syst': ['default', 'discovery', 'safe'],
  'ssl-enum-ciphers': ['discovery', 'intrusive'],
  'http-enum': ['discovery', 'intrusive', 'vuln'],
  'ssh-auth-methods': ['auth', 'intrusive'],
  'ftp-anon': ['auth', 'default', 'safe'],
  'ssl-heartbleed': ['safe', 'vuln'],
} as const satisfies Record<string, readonly string[]>;

export type NmapScript = keyof typeof NMAP_SCRIPTS;
const GATED_CATEGORIES: ReadonlySet<string> = new Set(['intrusive', 'vuln', 'auth', 'brute']);

export function isGatedScript(name: NmapScript): boolean {
  return NMAP_SCRIPTS[name].some((c) => GATED_CATEGORIES.has(c));
}
