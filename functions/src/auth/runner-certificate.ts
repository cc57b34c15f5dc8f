import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ApiError } from '../errors/api-error';

/** What the entry learned from a request's TLS connection (runner mTLS, docs/security.md "Service"). */
export type RunnerCertificate = { ok: true; runnerId: string } | { ok: false; reason: string };

/** The entry's view of a request's client certificate; absent when runner mTLS is off (and on Workers). */
export type RunnerCertificateOf = (request: Request) => RunnerCertificate | undefined;

const FIX =
  "Set NETDIAG_CLIENT_CERT_FILE and NETDIAG_CLIENT_KEY_FILE on the runner to a certificate issued by the CA in the API's MCP_RUNNER_CLIENT_CA_FILE, with the runner id as its CN (and NETDIAG_RUNNER_ID set to it).";

/**
 * Runner routes, after the token check: with runner mTLS on, the connection must carry a verified client
 * certificate, and a `runnerId` in the body must be the certificate's CN. Heartbeat and complete carry a lease id
 * instead, issued only to a claim that passed this check.
 */
export function requireRunnerCertificate(certificateOf: RunnerCertificateOf | undefined): MiddlewareHandler<AppEnv> {
  return async function requireRunnerCertificateMiddleware(c, next) {
    if (!certificateOf) return next();
    const cert = certificateOf(c.req.raw) ?? { ok: false, reason: 'the connection carries no TLS client certificate' };
    if (!cert.ok) throw ApiError.of('UNAUTHORIZED', `This API requires a runner client certificate: ${cert.reason}.`, { recoverySuggestion: FIX });
    // Hono caches the parsed body, so the route's validator reads the same one; a malformed body is its business.
    const body: unknown = await c.req.json().catch(() => undefined);
    const claimed = typeof body === 'object' && body !== null ? (body as { runnerId?: unknown }).runnerId : undefined;
    if (claimed !== undefined && claimed !== cert.runnerId) {
      throw ApiError.of('FORBIDDEN', `The client certificate is issued to runner "${cert.runnerId}", not "${String(claimed)}".`, {
        recoverySuggestion: 'Set NETDIAG_RUNNER_ID to the CN of the runner certificate.',
      });
    }
    await next();
  };
}
