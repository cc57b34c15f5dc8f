import { checkApiUrl, refusingFetch } from '../../functions/shared/node/api-transport';
import { INSECURE_URL_CODE } from '../../functions/shared/errors/transport-failure';
import { fetchTrusting } from '../../openapi/sdk/src/node';
import type { ShimConfig } from './config';
import { plainHttpFetch } from '../../functions/shared/node/http-fetch';
import type { Log } from './log';

/**
 * How the shim reaches the API (docs/security.md, "Service"). The shim still starts when this is refused (an MCP
 * client shows a failed server poorly): every tool call then answers isError with the reason, and nothing is sent.
 */
export function shimApiFetch(config: Pick<ShimConfig, 'apiUrl' | 'caFile' | 'allowInsecure'>, log: Log): typeof fetch {
  const verdict = checkApiUrl(config.apiUrl, config.allowInsecure);
  if (!verdict.ok) {
    log('error', verdict.message, { apiUrl: config.apiUrl });
    return refusingFetch(verdict.message, INSECURE_URL_CODE);
  }
  if (verdict.warning) log('warn', verdict.warning);
  try {
    // Node's public roots alone, or plus the lab CA (read now: a bad path is named at start-up).
    // Plain HTTP (loopback, as npm start runs it): JSON calls over node:http, cheaper per call (functions/shared/node/http-fetch.ts).
    return config.caFile ? fetchTrusting(config.caFile) : plainHttpFetch(globalThis.fetch);
  } catch (err) {
    const message = (err as Error).message;
    log('error', message);
    return refusingFetch(message, 'NETDIAG_CA_FILE_UNREADABLE');
  }
}
