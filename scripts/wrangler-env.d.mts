// Types for wrangler-env.mjs (plain JavaScript so the npm scripts need no TypeScript loader).
export function wranglerEnv(base?: Readonly<Record<string, string | undefined>>): Record<string, string | undefined>;
