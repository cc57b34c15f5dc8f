/** Node only: a fetch that trusts a private lab CA (and presents a client certificate), as the shim and runner do. */
import { apiFetch } from '../../../functions/shared/node/api-transport';

/** `createNetdiagClient({ baseUrl, token, fetch: fetchTrusting('/etc/netdiag/lab-ca.pem') })` */
export function fetchTrusting(caFile: string, client?: { certFile: string; keyFile: string }): typeof fetch {
  return apiFetch({ caFile, clientCertFile: client?.certFile, clientKeyFile: client?.keyFile });
}
