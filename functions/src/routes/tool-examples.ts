/**
 * One example call per tool for openapi/openapi.json: the request body and the result of a successful run
 * (documentation only: nothing is sent). Lab targets only (10.0.0.x, *.lab.internal); redocly's
 * no-invalid-media-type-examples checks each against the tool's params and result schemas.
 */
export interface ToolExample {
  params: Record<string, unknown>;
  resolvedAddress: string;
  durationMs: number;
  result: Record<string, unknown>;
}

const hop = (ttl: number, address: string, ms: number[]): object => ({
  ttl,
  probes: ms.map((rttMs) => ({ address, rttMs, annotation: null })),
  timeouts: 0,
});

export const TOOL_EXAMPLES: Readonly<Record<string, ToolExample>> = {
  ping: {
    params: { target: '10.0.0.5', count: 4, intervalSec: 1, packetSize: 56 },
    resolvedAddress: '10.0.0.5',
    durationMs: 3046,
    result: {
      target: '10.0.0.5',
      address: '10.0.0.5',
      transmitted: 4,
      received: 4,
      lossPercent: 0,
      rtt: { minMs: 0.382, avgMs: 0.414, maxMs: 0.457, mdevMs: 0.028 },
      replies: [0.382, 0.401, 0.457, 0.416].map((timeMs, i) => ({ seq: i + 1, ttl: 64, timeMs, bytes: 64 })),
      truncated: false,
    },
  },
  traceroute: {
    params: { target: 'gw2.lab.internal', maxHops: 8, queries: 3, protocol: 'icmp' },
    resolvedAddress: '10.0.0.254',
    durationMs: 1820,
    result: {
      target: 'gw2.lab.internal',
      address: '10.0.0.254',
      protocol: 'icmp',
      maxHops: 8,
      hops: [hop(1, '10.0.0.1', [0.412, 0.388, 0.395]), hop(2, '10.0.0.254', [1.204, 1.187, 1.231])],
      reachedDestination: true,
      truncated: false,
    },
  },
  mtr: {
    params: { target: '10.0.0.20', cycles: 5, maxHops: 8 },
    resolvedAddress: '10.0.0.20',
    durationMs: 5230,
    result: {
      target: '10.0.0.20',
      address: '10.0.0.20',
      cycles: 5,
      hops: [
        { hop: 1, address: '10.0.0.1', lossPercent: 0, sent: 5, lastMs: 0.41, avgMs: 0.43, bestMs: 0.38, worstMs: 0.52, stdevMs: 0.05 },
        { hop: 2, address: '10.0.0.20', lossPercent: 20, sent: 5, lastMs: 1.12, avgMs: 1.19, bestMs: 1.08, worstMs: 1.35, stdevMs: 0.11 },
      ],
      reachedDestination: true,
      truncated: false,
    },
  },
  nmap: {
    params: { target: '10.0.0.10', scanType: 'connect', ports: '22,80,443', timing: 'T4', serviceDetection: true },
    resolvedAddress: '10.0.0.10',
    durationMs: 6712,
    result: {
      target: '10.0.0.10',
      address: '10.0.0.10',
      hosts: [
        {
          address: '10.0.0.10',
          addresses: [{ addr: '10.0.0.10', type: 'ipv4', vendor: null }],
          state: 'up',
          reason: 'syn-ack',
          ports: [
            {
              protocol: 'tcp',
              port: 22,
              state: 'open',
              reason: 'syn-ack',
              service: { name: 'ssh', product: 'OpenSSH', version: '9.6p1', extraInfo: 'protocol 2.0', method: 'probed', confidence: 10 },
              scripts: [],
            },
            {
              protocol: 'tcp',
              port: 443,
              state: 'open',
              reason: 'syn-ack',
              service: { name: 'https', product: 'nginx', version: '1.24.0', extraInfo: null, method: 'probed', confidence: 10 },
              scripts: [],
            },
          ],
          extraPorts: [{ state: 'closed', count: 1 }],
          os: [],
          portsTruncated: false,
        },
      ],
      stats: { elapsedSec: 6.41, hostsUp: 1, hostsDown: 0, hostsTotal: 1, exit: 'success', errorMessage: null },
      truncated: false,
    },
  },
  dig: {
    params: { name: 'web01.lab.internal', type: 'A' },
    resolvedAddress: '10.0.0.53',
    durationMs: 38,
    result: {
      name: 'web01.lab.internal',
      reverse: false,
      question: { name: 'web01.lab.internal.', type: 'A' },
      status: 'NOERROR',
      flags: ['qr', 'aa', 'rd', 'ra'],
      answerCount: 1,
      authorityCount: 0,
      answer: [{ name: 'web01.lab.internal.', ttl: 300, class: 'IN', type: 'A', data: '10.0.0.10' }],
      authority: [],
      queryTimeMs: 1,
      server: { address: '10.0.0.53', port: 53, protocol: 'UDP' },
      truncated: false,
    },
  },
  tls_inspect: {
    params: { target: 'web01.lab.internal', port: 443 },
    resolvedAddress: '10.0.0.10',
    durationMs: 64,
    result: {
      target: 'web01.lab.internal',
      address: '10.0.0.10',
      port: 443,
      serverName: 'web01.lab.internal',
      protocol: 'TLSv1.3',
      cipher: { name: 'TLS_AES_256_GCM_SHA384', standardName: 'TLS_AES_256_GCM_SHA384', version: 'TLSv1.3' },
      alpnProtocol: 'h2',
      verification: { verified: true, chainVerified: true, chainError: null, checkedName: 'web01.lab.internal', nameMatches: true, nameError: null },
      chain: [
        {
          subject: 'CN=web01.lab.internal',
          issuer: 'CN=Lab Internal CA',
          subjectAltNames: ['DNS:web01.lab.internal'],
          validFrom: '2026-01-05T00:00:00.000Z',
          validTo: '2026-07-04T00:00:00.000Z',
          serialNumber: '4F1A9C03D2B7E6',
          fingerprintSha256: '9C:1E:4A:77:2B:D0:5F:83:61:A2:0E:C4:B9:38:7D:F1:25:6A:E0:13:8B:C7:49:D2:3F:A6:5E:01:B8:74:C9:2D',
          selfSigned: false,
          isCA: false,
          keyType: 'EC',
          keyBits: 256,
        },
      ],
      chainTruncated: false,
      daysUntilExpiry: 112,
      handshakeMs: 11.8,
    },
  },
  http_probe: {
    params: { target: 'web01.lab.internal', scheme: 'https', path: '/healthz', method: 'GET', maxBodyBytes: 4096 },
    resolvedAddress: '10.0.0.10',
    durationMs: 72,
    result: {
      target: 'web01.lab.internal',
      address: '10.0.0.10',
      method: 'GET',
      url: 'https://web01.lab.internal/healthz',
      finalUrl: 'https://web01.lab.internal/healthz',
      finalAddress: '10.0.0.10',
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [
        { name: 'content-type', value: 'application/json' },
        { name: 'server', value: 'nginx' },
      ],
      headerCount: 2,
      headersTruncated: false,
      timing: { connectMs: 0.9, tlsMs: 9.6, ttfbMs: 14.2, totalMs: 15.1 },
      tls: {
        protocol: 'TLSv1.3',
        alpnProtocol: 'http/1.1',
        cipher: 'TLS_AES_256_GCM_SHA384',
        certSubject: 'CN=web01.lab.internal',
        certIssuer: 'CN=Lab Internal CA',
        certValidTo: '2026-07-04T00:00:00.000Z',
        chainVerified: true,
        chainError: null,
      },
      redirects: [],
      body: {
        bytesRead: 15,
        truncated: false,
        interrupted: false,
        sha256: '5c3ab3c1b4a3f0f4e3c8e2b3b1d9c8f7a6e5d4c3b2a1908f7e6d5c4b3a291807',
        preview: '{"status":"ok"}',
      },
    },
  },
};
