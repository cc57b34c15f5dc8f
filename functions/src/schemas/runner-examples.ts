/**
 * Example bodies of the runner protocol for openapi/openapi.json (documentation only: nothing is sent).
 * They follow the component schemas; redocly's no-invalid-media-type-examples checks them (docs/design.md, "API").
 */
const JOB_ID = '3f2b8c1e-7d4a-4e0b-9c61-5a2e8d9f0b14';
const LEASE_ID = 'c0a8e1d2-5b3f-4a67-8e9d-1f2a3b4c5d6e';
const RUNNER_ID = 'runner-lab-01';

export const RUNNER_PROTOCOL_EXAMPLES = {
  claimRequest: { runnerId: RUNNER_ID, tools: ['ping', 'traceroute', 'dig'], waitMs: 25000, breakers: { ping: 'CLOSED', dig: 'HALF_OPEN' } },
  claimResponse: {
    job: {
      id: JOB_ID,
      tool: 'ping',
      params: { target: '10.0.0.5', count: 4 },
      timeoutSec: 30,
      attempt: 1,
      leaseId: LEASE_ID,
      leaseExpiresAt: 1780000030000,
      heartbeatIntervalMs: 5000,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    },
    pollAgainMs: 0,
  },
  heartbeatRequest: { leaseId: LEASE_ID, progress: { progress: 2, total: 4, message: 'reply 2 of 4 from 10.0.0.5' } },
  heartbeatResponse: { cancelRequested: false, leaseExpiresAt: 1780000045000 },
  controlRequest: { runnerId: RUNNER_ID, waitMs: 25000 },
  controlResponse: { messages: [{ type: 'cancel', jobId: JOB_ID, leaseId: LEASE_ID }] },
  completeRequest: {
    leaseId: LEASE_ID,
    outcome: {
      status: 'succeeded',
      result: { target: '10.0.0.5', address: '10.0.0.5', transmitted: 4, received: 4, lossPercent: 0 },
      resolvedAddress: '10.0.0.5',
      durationMs: 3046,
    },
    breakers: { ping: 'CLOSED' },
  },
  completeResponse: { accepted: true, duplicate: false },
  registerRequest: {
    runnerId: RUNNER_ID,
    version: '0.1.0',
    tools: ['ping', 'traceroute', 'mtr', 'tls_inspect', 'http_probe'],
    unavailable: { dig: 'no lab DNS resolver configured', nmap: 'nmap binary not found' },
    privileged: true,
    capacity: 4,
    sandbox: { mode: 'helper', protections: ['rlimits', 'pdeathsig', 'pidns', 'identity', 'seccomp', 'filesystem'], lacking: ['cgroup'] },
  },
  registerResponse: { registered: true, rejoined: false, leaseMs: 30000 },
  deregisterRequest: { runnerId: RUNNER_ID },
  deregisterResponse: { deregistered: true },
} as const;
