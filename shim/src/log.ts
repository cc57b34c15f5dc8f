/** The shim's only logger: JSON lines on stderr. stdout belongs to the protocol. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLog(level: LogLevel, write: (line: string) => void): (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => void {
  return (lvl, msg, fields = {}) => {
    if (ORDER[lvl] >= ORDER[level]) write(`${JSON.stringify({ level: lvl, time: Date.now(), name: 'netdiag-shim', msg, ...fields })}\n`);
  };
}

export type Log = ReturnType<typeof createLog>;
