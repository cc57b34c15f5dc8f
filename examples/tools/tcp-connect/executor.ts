/** tcp_connect's runner half: connections to the pinned address, progress per attempt, metrics for the author. */
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorInfo } from '../../../functions/shared/errors/codes';
import { toolMetrics } from '../../../functions/shared/telemetry/tool-metrics';
import { type Parsed, defineExecutor } from '../../../functions/shared/tool/executor';
import { connectOnce } from './connect-once';
import { type TcpConnectResult, tool } from './definition';

// Recorded in the runner: exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the runner serves no /metrics).
const metrics = toolMetrics(tool.name);
const connectSeconds = metrics.histogram('connect_seconds', 'Time to an established TCP connection, per attempt.', ['outcome'], {
  unit: 's',
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
});

const round = (n: number): number => Math.round(n * 1000) / 1000;

export const executor = defineExecutor(tool, {
  kind: 'native',
  async run(p, ctx): Promise<Parsed> {
    const { address, family } = ctx.target;
    // The pipeline pinned the target to an IP literal; anything else would mean a lookup here, which this tool never does.
    if (isIP(address) === 0) return { ok: false, error: errorInfo('EXECUTION_ERROR', `tcp_connect needs an IP address, got "${address}".`) };
    const attempts: TcpConnectResult['attempts'] = [];
    for (let seq = 1; seq <= p.count && !ctx.signal.aborted; seq++) {
      if (seq > 1 && p.intervalMs > 0) await sleep(p.intervalMs, undefined, { signal: ctx.signal }).catch(() => undefined);
      if (ctx.signal.aborted) break;
      const a = await connectOnce(address, p.port, family, p.connectTimeoutMs, ctx.signal);
      if (a.connected) connectSeconds.record(a.timeMs / 1000, { outcome: 'connected' });
      attempts.push(a.connected ? { seq, connected: true, timeMs: a.timeMs, error: null } : { seq, connected: false, timeMs: null, error: a.error });
      ctx.report({ progress: seq, total: p.count, message: `connection ${seq}/${p.count}: ${a.connected ? `${a.timeMs} ms` : 'failed'}` });
    }
    const times = attempts.flatMap((a) => (a.timeMs === null ? [] : [a.timeMs]));
    const stats =
      times.length === 0 ? null : { minMs: Math.min(...times), avgMs: round(times.reduce((x, y) => x + y, 0) / times.length), maxMs: Math.max(...times) };
    // Refused or timed-out connections are findings, not failures: the result says which and why.
    return {
      ok: true,
      result: { target: ctx.target.target, address, port: p.port, attempts, connected: times.length, failed: attempts.length - times.length, stats },
    };
  },
});
