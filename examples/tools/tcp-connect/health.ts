/**
 * A health check shipped with the tool (API side: GET /health lists it as "tcp_connect.metrics"). Informational
 * (priority 5): shown, never failing /health. It also shows an author's metric on the API: every run counts in
 * netdiag_custom_tcp_connect_health_checks_total on the API's GET /metrics.
 */
import { defineHealthCheck } from '../../../functions/shared/health/health-check';
import { toolMetrics } from '../../../functions/shared/telemetry/tool-metrics';

const runs = toolMetrics('tcp_connect').counter('health_checks', 'Times GET /health ran the tcp_connect check.');

export const healthChecks = [
  defineHealthCheck({
    name: 'metrics',
    priority: 5,
    check() {
      runs.add();
      return {
        status: 'healthy',
        message: 'tcp_connect connect times are recorded by runners (netdiag_custom_tcp_connect_connect_seconds, over OTLP when configured).',
      };
    },
  }),
];
