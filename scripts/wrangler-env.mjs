// The environment every wrangler run of this project gets (npm run build:workers, npm run dev:workers, tests): no
// traffic leaves the machine. Each switch was found in wrangler 4.86 / miniflare 4.20260426 (docs/design.md, "Workers").
const LOOPBACK_SINK = 'http://127.0.0.1:9';

/** Credentials wrangler would use to reach a Cloudflare account: never passed on. */
const ACCOUNT_VARIABLES = [
  'CLOUDFLARE_API_TOKEN',
  'CLOUDFLARE_API_KEY',
  'CLOUDFLARE_EMAIL',
  'CLOUDFLARE_ACCOUNT_ID',
  'CF_API_TOKEN',
  'CF_ACCOUNT_ID',
  'WRANGLER_CF_AUTHORIZATION_TOKEN',
];

export function wranglerEnv(base = process.env) {
  const env = { ...base };
  for (const name of ACCOUNT_VARIABLES) delete env[name];
  return {
    ...env,
    // Usage metrics (also `send_metrics = false` in wrangler.toml) and Sentry error reports.
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    // The start-up banner is what runs wrangler's npm update check.
    WRANGLER_HIDE_BANNER: 'true',
    // Other paths to that check (an error, a config warning) ask npm's registry setting: make it a closed loopback port.
    npm_config_registry: `${LOOPBACK_SINK}/`,
    // Miniflare's download of request.cf data (workers.cloudflare.com/cf.json): use its built-in fallback.
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    // Any Cloudflare API or login call that might still be attempted goes to a closed loopback port.
    CLOUDFLARE_API_BASE_URL: `${LOOPBACK_SINK}/client/v4`,
    WRANGLER_AUTH_DOMAIN: '127.0.0.1:9',
    WRANGLER_AUTH_URL: `${LOOPBACK_SINK}/oauth2/auth`,
    WRANGLER_TOKEN_URL: `${LOOPBACK_SINK}/oauth2/token`,
    WRANGLER_REVOKE_URL: `${LOOPBACK_SINK}/oauth2/revoke`,
  };
}
