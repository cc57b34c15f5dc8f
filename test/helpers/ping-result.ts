/** A schema-valid result of `ping -c1 127.0.0.1`, for stand-in runners and in-process completions (nothing is sent). */
export const LOOPBACK_PING_RESULT = {
  target: '127.0.0.1',
  address: '127.0.0.1',
  transmitted: 1,
  received: 1,
  lossPercent: 0,
  rtt: { minMs: 0.05, avgMs: 0.05, maxMs: 0.05, mdevMs: 0 },
  replies: [{ seq: 1, ttl: 64, timeMs: 0.05, bytes: 64 }],
  truncated: false,
};
