/** Map the upper-case level names (INFO, WARNING, CRITICAL; docs/design.md, "Configuration") onto pino's. */
export function pinoLevel(level: string): 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' {
  switch (level.toLowerCase()) {
    case 'trace':
      return 'trace';
    case 'debug':
      return 'debug';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'error':
      return 'error';
    case 'critical':
    case 'fatal':
      return 'fatal';
    case 'silent':
      return 'silent';
    default:
      return 'info';
  }
}
