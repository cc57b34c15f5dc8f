/**
 * The runner roster and control mailboxes in Redis (docs/design.md, "Broker"): the rules of
 * functions/src/jobs/runner-roster.ts and control-mailboxes.ts, shared by every replica. A runner parked in a claim on
 * any replica stays connected: its open claims are kept as tokens with a deadline, so a replica that dies cannot
 * keep its runners listed for longer than their claims would have lasted.
 */
import { LUA_COMMON } from './job-lua-common';

const ROSTER_COMMON = `
local function rkey(id) return P .. 'runner:' .. id end
local function runner_event(kind, id, extra)
  local m = { k = 'runner', o = ORIGIN, t = kind, r = redis.call('HGETALL', rkey(id)) }
  for key, v in pairs(extra) do m[key] = v end
  publish(m)
end
local function drop_runner(id, reason)
  local rec = redis.call('HGETALL', rkey(id))
  if #rec == 0 then return 0 end
  redis.call('DEL', rkey(id), P .. 'parked:' .. id, P .. 'ctl:' .. id)
  redis.call('SREM', P .. 'runners', id)
  publish({ k = 'runner', o = ORIGIN, t = 'left', r = rec, reason = reason })
  return 1
end
local function parked(id)
  local z = P .. 'parked:' .. id
  redis.call('ZREMRANGEBYSCORE', z, '-inf', NOW)
  return redis.call('ZCARD', z) > 0
end
-- Drop runners neither parked nor heard from for a lease period; ms until the next one could go (-1: none known).
local function roster_sweep()
  local due = -1
  for _, id in ipairs(redis.call('SMEMBERS', P .. 'runners')) do
    if not parked(id) then
      local seen = tonumber(redis.call('HGET', rkey(id), 'lastSeen') or '0')
      if seen < NOW - LEASE_MS then
        drop_runner(id, 'not-seen')
      else
        local left = seen + LEASE_MS - NOW + 1
        if due < 0 or left < due then due = left end
      end
    end
  end
  return due
end
local function joined_order() return redis.call('INCR', P .. 'seq') end
`;

const script = (body: string): string => `${LUA_COMMON}\n${ROSTER_COMMON}\n${body}`;

/** 6 runnerId, 7 info JSON, 8 tools JSON. Registering again replaces the record; returns 1 when it rejoined. */
export const REGISTER = script(`
local id = ARGV[6]
local k = rkey(id)
local rejoined = redis.call('EXISTS', k)
redis.call('DEL', k)
redis.call('HSET', k, 'info', ARGV[7], 'tools', ARGV[8], 'lastSeen', NOW, 'registered', 1, 'order', joined_order())
redis.call('SADD', P .. 'runners', id)
runner_event('joined', id, { rejoined = rejoined == 1 })
return rejoined
`);

/** 6 runnerId, 7 reason. 1 when the runner was connected. */
export const DEREGISTER = script(`return drop_runner(ARGV[6], ARGV[7])`);

/** 6 runnerId, 7 tools JSON, 8 claim token, 9 its deadline in ms. A claim arrived: an unknown runner joins unregistered. */
export const CLAIM_STARTED = script(`
local id = ARGV[6]
local k = rkey(id)
if redis.call('EXISTS', k) == 1 then
  redis.call('HSET', k, 'lastSeen', NOW, 'tools', ARGV[7])
else
  redis.call('HSET', k, 'info', cjson.encode({ runnerId = id }), 'tools', ARGV[7], 'lastSeen', NOW, 'registered', 0, 'order', joined_order())
  redis.call('SADD', P .. 'runners', id)
  runner_event('joined', id, { rejoined = false })
end
redis.call('ZADD', P .. 'parked:' .. id, NOW + tonumber(ARGV[9]), ARGV[8])
return 1
`);

/** 6 runnerId, 7 claim token. The claim returned; never re-adds a runner that left meanwhile. */
export const CLAIM_ENDED = script(`
local id = ARGV[6]
redis.call('ZREM', P .. 'parked:' .. id, ARGV[7])
if redis.call('EXISTS', rkey(id)) == 1 then redis.call('HSET', rkey(id), 'lastSeen', NOW) end
return 1
`);

/** Sweep, then every connected runner's record (flat field lists). */
export const LIST_RUNNERS = script(`
roster_sweep()
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', P .. 'runners')) do
  local rec = redis.call('HGETALL', rkey(id))
  if #rec > 0 then out[#out + 1] = rec end
end
return out
`);

/**
 * 6 max attempts, 7 default cancel error JSON. Lost leases (the rules of memory-store.ts leaseLost) and quiet runners,
 * swept by whichever replica gets here first. Returns ms until the next lease or runner could expire (-1: none).
 */
export const SWEEP = script(`
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', NOW, 'LIMIT', 0, 500)) do
  redis.call('ZREM', P .. 'leases', id)
  local k = jkey(id)
  local st, lid, runner, cr, att, tool, err = unpack(redis.call('HMGET', k, 'status', 'leaseId', 'runnerId', 'cancelRequested', 'attempts', 'tool', 'error'))
  if st == 'running' then
    if runner and lid then post_control(runner, 'lease-revoked', id, lid) end
    redis.call('HDEL', k, 'leaseId')
    if cr == '1' then
      finish(id, 'cancelled', err or ARGV[7])
    elseif tonumber(att) < tonumber(ARGV[6]) then
      redis.call('HSET', k, 'status', 'queued')
      redis.call('HDEL', k, 'runnerId')
      emit('requeued', id)
      enqueue_existing(id, tool)
    else
      finish(id, 'failed', cjson.encode({ code = 'EXECUTION_ERROR', message = 'Runner stopped responding; job lost its lease ' .. att .. ' times.', recoverySuggestion = 'Check the runners (GET /health) and call again.' }))
    end
  end
end
local due = roster_sweep()
local head = redis.call('ZRANGE', P .. 'leases', 0, 0, 'WITHSCORES')
if head[1] then
  local left = tonumber(head[2]) - NOW + 1
  if due < 0 or left < due then due = left end
end
return due
`);

/** 6 runnerId, 7 poll token, 8 waitMs. Messages waiting for the runner (taken), else the poll is parked: {}. */
export const TAKE_CONTROL = script(`
local id = ARGV[6]
local l = P .. 'ctl:' .. id
local msgs = redis.call('LRANGE', l, 0, -1)
if #msgs > 0 then
  redis.call('DEL', l)
  return msgs
end
if tonumber(ARGV[8]) > 0 then redis.call('ZADD', P .. 'ctlpark:' .. id, NOW + tonumber(ARGV[8]), ARGV[7]) end
return {}
`);
