/**
 * Why a call to the API could not even be made, in words an operator can act on: the certificate problems Node's
 * TLS reports (by `code`) and the project's own refusal of plain HTTP to a non-loopback address. A bare
 * "fetch failed" names none of them (issue 14; docs/security.md, "Service").
 */
export interface TransportFailure {
  /** What went wrong, e.g. "the API's certificate is not signed by a trusted CA". */
  problem: string;
  /** The setting that fixes it. */
  fix: string;
}

/** The code the shim and the runner give their own refusal to send a token over plain HTTP (nothing is sent). */
export const INSECURE_URL_CODE = 'NETDIAG_INSECURE_API_URL';

const UNTRUSTED = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
];

/** Map an error code (Node's TLS codes, or INSECURE_URL_CODE) to a problem and its fix; undefined for anything else. */
export function describeTransportCode(code: string, message?: string): TransportFailure | undefined {
  if (UNTRUSTED.includes(code)) {
    return {
      problem: `the API's TLS certificate is not signed by a trusted CA (${code})`,
      fix: "Set NETDIAG_CA_FILE to the PEM file of the CA that signed the API's certificate (the lab CA).",
    };
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return {
      problem: `the API's TLS certificate ${code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'} (${code})`,
      fix: 'Renew the certificate in MCP_TLS_CERT_FILE/MCP_TLS_KEY_FILE on the API host and send the API SIGHUP (no restart needed); check the clocks.',
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      problem: `the API's TLS certificate is not issued for the host in NETDIAG_API_URL (${code}${message ? `: ${message}` : ''})`,
      fix: 'Use a host name or address in NETDIAG_API_URL that the certificate names (its subjectAltName), or reissue the certificate.',
    };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return {
      problem: `the API did not answer TLS (${code}); it may serve plain HTTP`,
      fix: 'Check the scheme in NETDIAG_API_URL against what the API prints at start-up (https:// when MCP_TLS_CERT_FILE is set).',
    };
  }
  if (code === INSECURE_URL_CODE) {
    return {
      problem: message ?? 'plain HTTP to a non-loopback API address was refused; nothing was sent',
      fix: 'Use an https:// NETDIAG_API_URL (the API serves HTTPS with MCP_TLS_CERT_FILE and MCP_TLS_KEY_FILE), or set NETDIAG_ALLOW_INSECURE=true on a trusted network.',
    };
  }
  if (code === 'NETDIAG_CA_FILE_UNREADABLE') {
    return { problem: message ?? 'NETDIAG_CA_FILE cannot be read', fix: 'Point NETDIAG_CA_FILE at a readable PEM file of the lab CA.' };
  }
  return undefined;
}

/** The transport failure behind a failed fetch (`TypeError: fetch failed` with a `cause`), if it is one we can name. */
export function describeTransportFailure(err: unknown): TransportFailure | undefined {
  let e: unknown = err;
  // fetch wraps the socket error in `cause`; follow a few levels, never a cycle.
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      const found = describeTransportCode(code, typeof message === 'string' ? message : undefined);
      if (found) return found;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
