import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

const SEVERITY: Readonly<Record<LoggingLevel, number>> = { debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, alert: 6, emergency: 7 };

/**
 * The level a client asked for with logging/setLevel, per session. Until it asks, nothing is sent: job lifecycle
 * logging is opt-in, so clients that never look at logs pay nothing for them (the spec lets the server choose).
 */
export class LogLevelState {
  private level: LoggingLevel | undefined;

  set(level: LoggingLevel): void {
    this.level = level;
  }

  /** Whether a message at `level` goes out. */
  allows(level: LoggingLevel): boolean {
    return this.level !== undefined && SEVERITY[level] >= SEVERITY[this.level];
  }

  /** Whether any job message could go out (the lowest we send is debug). */
  get active(): boolean {
    return this.level !== undefined;
  }
}
