/**
 * The Redis key layout of the job broker (docs/design.md, "Broker"). Every key starts with REDIS_PREFIX (default
 * `netdiag:`); the Lua scripts (job-lua-common.ts) build the same names from the prefix they are given.
 *
 *   job:<id>            hash   one job: scalar fields as strings, params/result/error/progress as JSON
 *   jobs                zset   every retained job id, scored by creation order (list())
 *   q:<tool>            zset   queued job ids for one tool, scored by queue order (claim takes the lowest)
 *   queued              zset   every queued job id (queue bound, list({status:'queued'}))
 *   leases              zset   running job ids scored by lease expiry (ms, Redis clock)
 *   finished            zset   ended job ids in end order (retention: count, and age by their finishedAt)
 *   seq                 string counter for queue and creation order
 *   idem:<principal>\0<key>  string  job id for an idempotency key
 *   runners             set    connected runner ids
 *   runner:<id>         hash   info (JSON), tools (JSON), lastSeen, registered
 *   parked:<id>         zset   the runner's open claims (token → deadline): parked runners stay connected
 *   ctl:<id>            list   control messages waiting for the runner's next poll (at most 64)
 *   ctlpark:<id>        zset   the runner's open control polls (token → deadline)
 *   ev                  channel every event: job and runner events, claim wake-ups, control messages
 */
export const DEFAULT_REDIS_PREFIX = 'netdiag:';

export interface JobKeys {
  job(id: string): string;
  jobs: string;
  queued: string;
  leases: string;
  idempotency(principal: string, key: string): string;
  channel: string;
  ctlPark(runnerId: string): string;
}

export function jobKeys(prefix: string): JobKeys {
  return {
    job: (id) => `${prefix}job:${id}`,
    jobs: `${prefix}jobs`,
    queued: `${prefix}queued`,
    leases: `${prefix}leases`,
    idempotency: (principal, key) => `${prefix}idem:${principal}\u0000${key}`,
    channel: `${prefix}ev`,
    ctlPark: (runnerId) => `${prefix}ctlpark:${runnerId}`,
  };
}
