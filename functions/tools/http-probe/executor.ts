import { errorInfo } from '../../shared/errors/codes';
import { type HttpProbeParams, type HttpProbeResult, type HttpRedirectInfo, httpProbeTool } from './definition';
import { type NativeContext, type Parsed, defineExecutor } from '../../shared/tool/executor';
import { REDIRECT_STATUSES, decideRedirect } from './redirect';
import { type Exchange, type Hop, defaultPort, exchange, hopUrl } from './request';
import { describeNetError, hostForUrl } from '../common/net-errors';

function firstHop(p: HttpProbeParams, ctx: NativeContext): Hop {
  const { address, hostname } = ctx.target;
  return { scheme: p.scheme, address, hostname, port: p.port ?? defaultPort(p.scheme), path: p.path };
}

function assemble(p: HttpProbeParams, ctx: NativeContext, first: Hop, last: Hop, ex: Exchange, redirects: HttpRedirectInfo[]): HttpProbeResult {
  const { location: _raw, ...response } = ex;
  return {
    target: ctx.target.target,
    address: ctx.target.address,
    method: p.method,
    url: hopUrl(first),
    finalUrl: hopUrl(last),
    finalAddress: last.address,
    ...response,
    redirects,
  };
}

export const httpProbeExecutor = defineExecutor(httpProbeTool, {
  kind: 'native',
  async run(p, ctx): Promise<Parsed> {
    const first = firstHop(p, ctx);
    const redirects: HttpRedirectInfo[] = [];
    let hop = first;
    for (;;) {
      ctx.report({ progress: redirects.length, message: `${p.method} ${hopUrl(hop)}` });
      const o = await exchange(hop, p.method, p.maxBodyBytes, ctx.signal);
      if (!o.ok) {
        const where = `${p.method} ${hop.scheme}://${hostForUrl(hop.address)}:${hop.port}`;
        const partial = o.partial ? assemble(p, ctx, first, hop, o.partial, redirects) : { url: hopUrl(first), redirects };
        // When aborted, executeJob reports CANCELLED or TIMEOUT from the signal; the code here is a placeholder.
        return { ok: false, error: errorInfo(o.aborted ? 'TIMEOUT' : 'EXECUTION_ERROR', describeNetError(o.error, `${where} failed`)), partial };
      }
      const ex = o.exchange;
      if (!REDIRECT_STATUSES.has(ex.status) || ex.location === undefined) {
        return { ok: true, result: assemble(p, ctx, first, hop, ex, redirects) };
      }
      const followed = redirects.filter((r) => r.followed).length;
      const decision = await decideRedirect(hop, ex.status, ex.location, followed, ctx);
      redirects.push(decision.info);
      if (!decision.next) return { ok: true, result: assemble(p, ctx, first, hop, ex, redirects) };
      hop = decision.next;
    }
  },
});
