import { describe, expect, it } from 'vitest';
import { BreakerBoard } from './breaker-board';
import { metricsJson } from './metrics-json';
import type { MetricSample, SystemFigures } from '../../shared/telemetry/metrics-source';

const system: SystemFigures = {
  cpu: { percent: 1.5, userSeconds: 1, systemSeconds: 0.5, cores: 2 },
  memory: { rssBytes: 1, heapUsedBytes: 1, heapTotalBytes: 2, totalBytes: 4, freeBytes: 3 },
};
const s = (name: string, value: number, labels: Record<string, string> = {}): MetricSample => ({ name, value, labels });

describe('metricsJson: the JSON form of docs/design.md, "Observability" from the same samples as the Prometheus text', () => {
  it('sums executions per tool into successes and failures, averages the duration, and carries the gauges', () => {
    const json = metricsJson(
      {
        text: '',
        samples: [
          s('mcp_tool_execution_total', 3, { tool: 'ping', status: 'success' }),
          s('mcp_tool_execution_total', 1, { tool: 'ping', status: 'timeout' }),
          s('mcp_tool_execution_total', 2, { tool: 'ping', status: 'validation_error' }),
          s('mcp_tool_timeouts_total', 1, { tool: 'ping' }),
          s('mcp_tool_execution_duration_seconds_sum', 2, { tool: 'ping' }),
          s('mcp_tool_execution_duration_seconds_count', 4, { tool: 'ping' }),
          s('mcp_tool_active_executions', 1, { tool: 'ping' }),
          s('mcp_jobs_queued', 2, { tool: 'ping' }),
          s('mcp_circuit_breaker_state', 2, { tool: 'ping' }),
          s('mcp_tool_active_executions', 0, { tool: 'nmap' }),
          s('mcp_runners_connected', 3),
          s('http_server_request_duration_seconds_count', 9, { http_route: '/tools' }),
        ],
      },
      system,
      new Date(0),
    );
    expect(json).toEqual({
      timestamp: '1970-01-01T00:00:00.000Z',
      system,
      tools: {
        ping: { executions: 6, successes: 3, failures: 3, timeouts: 1, avg_duration: 0.5, active: 1, queued: 2, circuit_breaker: 'half_open' },
        nmap: { executions: 0, successes: 0, failures: 0, timeouts: 0, avg_duration: 0, active: 0, queued: 0, circuit_breaker: 'closed' },
      },
      runners: { connected: 3 },
    });
  });
});

describe('BreakerBoard: breaker states as the runners report them', () => {
  it('shows the worst state among connected runners and forgets runners that left', () => {
    const board = new BreakerBoard();
    board.report('r1', { ping: 'HALF_OPEN', dig: 'CLOSED' });
    board.report('r2', { ping: 'OPEN' });
    expect(Object.fromEntries(board.states(['r1', 'r2']))).toEqual({ ping: 'OPEN', dig: 'CLOSED' });
    expect(Object.fromEntries(board.states(['r1']))).toEqual({ ping: 'HALF_OPEN', dig: 'CLOSED' });
    expect(Object.fromEntries(board.states(['r1', 'r2']))).toEqual({ ping: 'HALF_OPEN', dig: 'CLOSED' });
  });

  it("replaces a runner's earlier report", () => {
    const board = new BreakerBoard();
    board.report('r1', { ping: 'OPEN' });
    board.report('r1', { ping: 'CLOSED' });
    expect(board.states(['r1']).get('ping')).toBe('CLOSED');
  });
});
