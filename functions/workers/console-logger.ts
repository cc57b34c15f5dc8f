/**
 * The Worker's logger: one JSON line per entry on the console, which Workers keeps (Workers Logs, `wrangler tail`)
 * and `wrangler dev` prints. LOG_LEVEL as in the Node entries; errors become their name, message and stack.
 */
import type { Logger } from '../shared/logger';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

function plain(obj: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  return out;
}

export function consoleLogger(level: string | undefined): Logger {
  const floor = Math.max(0, LEVELS.indexOf((level ?? 'info') as Level));
  const write =
    (name: Level) =>
    (obj: object, msg?: string): void => {
      if (LEVELS.indexOf(name) < floor) return;
      const line = JSON.stringify({ level: name, time: Date.now(), ...plain(obj), ...(msg ? { msg } : {}) });
      if (name === 'error' || name === 'warn') console.error(line);
      else console.log(line);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
