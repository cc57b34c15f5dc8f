import { z } from 'zod';

/** Thrown when configuration is invalid; the message names the offending key. The process must not start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Integer env var with a default and bounds (return type inferred: zod's pipe types add nothing here). */
export const envInt = (def: number, min: number, max: number) => z.string().default(String(def)).pipe(z.coerce.number<string>().int().min(min).max(max));

export const envBool = (def: boolean) =>
  z
    .string()
    .default(def ? 'true' : 'false')
    .pipe(
      z
        .string()
        .regex(/^(true|false|1|0|yes|no)$/i, 'expected true or false')
        .transform((v) => /^(true|1|yes)$/i.test(v)),
    );

/** LOG_LEVEL: pino's names and the upper-case ones (WARNING, CRITICAL; docs/design.md, "Configuration"), any case; anything else refuses. */
export const LogLevelSchema = z
  .string()
  .default('info')
  .pipe(
    z
      .string()
      .toLowerCase()
      .pipe(z.enum(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'critical', 'fatal', 'silent'])),
  );

/** Parse an env record with a schema; the first problem becomes a ConfigError naming the key. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Readonly<Record<string, string | undefined>>): z.output<S> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'config');
    // A required setting that is simply absent: say so, rather than zod's "expected string, received undefined".
    if (issue !== undefined && !(key in picked) && issue.code === 'invalid_type')
      throw new ConfigError(`${key}: required, but not set (environment or MCP_CONFIG_FILE)`);
    throw new ConfigError(`${String(issue?.path[0] ?? 'config')}: ${issue?.message ?? 'invalid'} (got "${picked[String(issue?.path[0])] ?? ''}")`);
  }
  return parsed.data;
}
