/**
 * Who may open a runner channel (docs/security.md, "Runner channel"): checked on the upgrade request, before anything is
 * upgraded, with the REST routes' own rules: a bearer token that carries the `runner` scope (401 / 403), with runner
 * mTLS on a verified client certificate (401), and no `Origin` (403: browsers have no business here). A refusal is a
 * plain HTTP answer with the API's error body, written to the socket, which is then closed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorCode, HTTP_STATUS_BY_CODE, errorInfo } from '../../shared/errors/codes';
import type { ErrorBody } from '../../shared/errors/error-body';
import { verifyBearer } from '../../src/auth/bearer';
import type { RunnerCertificate } from '../../src/auth/runner-certificate';
import type { Principal } from '../../src/auth/scopes';
import type { TokenVerifier } from '../../src/auth/tokens';

export interface ChannelRefusal {
  code: ErrorCode;
  message: string;
}

export interface UpgradeChecks {
  tokens: TokenVerifier;
  /** Runner mTLS on: the connection's client certificate (functions/node/tls-server.ts). */
  certificateOf?: ((socket: Duplex) => RunnerCertificate) | undefined;
}

/** The principal and the exact Authorization value every tunnelled request must repeat, or why not. */
export async function checkUpgrade(req: IncomingMessage, checks: UpgradeChecks): Promise<{ principal: Principal; authorization: string } | ChannelRefusal> {
  if (req.headers.origin !== undefined)
    return { code: 'FORBIDDEN', message: 'The runner channel does not accept browser requests (an Origin header was sent).' };
  const authorization = req.headers.authorization ?? '';
  const bearer = await verifyBearer(authorization, checks.tokens);
  if (!bearer.ok) return { code: 'UNAUTHORIZED', message: bearer.reason };
  const { principal } = bearer;
  if (!principal.scopes.has('runner')) return { code: 'FORBIDDEN', message: 'This token lacks the "runner" scope.' };
  const cert = checks.certificateOf?.(req.socket);
  if (cert && !cert.ok) return { code: 'UNAUTHORIZED', message: `This API requires a runner client certificate: ${cert.reason}.` };
  return { principal, authorization };
}

/** Answer the upgrade request with a plain HTTP error (the API's error body) and close the socket. */
export function refuseUpgrade(socket: Duplex, refusal: ChannelRefusal): void {
  const status = HTTP_STATUS_BY_CODE[refusal.code];
  const body: ErrorBody = { error: errorInfo(refusal.code, refusal.message) };
  const text = JSON.stringify(body);
  const extra = refusal.code === 'UNAUTHORIZED' ? 'WWW-Authenticate: Bearer realm="netdiag"\r\n' : '';
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}Connection: close\r\n\r\n${text}`,
  );
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};
