/**
 * The job lifecycle as Lua scripts, one atomic step each (docs/design.md, "Broker"): the same transitions as
 * functions/src/jobs/memory-store.ts. Arguments from ARGV[6] on; see job-lua-common.ts for the common ones.
 * Replies: a snapshot is HGETALL's flat field list; `{'nf'}` = no such job, `{'conflict'}` = lease not held.
 */
import { LUA_COMMON } from './job-lua-common';

const script = (body: string): string => `${LUA_COMMON}\n${body}`;

/** 6 id, 7 maxQueued, 8 fields as a JSON object of strings (tool, params, ...). Returns the snapshot, or 'full'. */
export const ENQUEUE = script(`
local id, max = ARGV[6], tonumber(ARGV[7])
if redis.call('ZCARD', P .. 'queued') >= max then return 'full' end
local fields = cjson.decode(ARGV[8])
local k = jkey(id)
for name, value in pairs(fields) do redis.call('HSET', k, name, value) end
redis.call('HSET', k, 'id', id, 'status', 'queued', 'createdAt', NOW, 'attempts', 0, 'cancelRequested', 0)
if fields.ikey then redis.call('SET', fields.ikey, id) end
local seq = redis.call('INCR', P .. 'seq')
redis.call('ZADD', P .. 'jobs', seq, id)
emit('queued', id)
enqueue_existing(id, fields.tool)
return snapshot(id)
`);

/** 6 runnerId, 7 leaseId, 8.. tools. The oldest queued job for one of the tools, leased; false when none. */
export const CLAIM = script(`
local runner, lease = ARGV[6], ARGV[7]
local best, bestScore, bestTool = nil, nil, nil
for i = 8, #ARGV do
  local head = redis.call('ZRANGE', P .. 'q:' .. ARGV[i], 0, 0, 'WITHSCORES')
  if head[1] and (not bestScore or tonumber(head[2]) < bestScore) then
    best, bestScore, bestTool = head[1], tonumber(head[2]), ARGV[i]
  end
end
if not best then return false end
unqueue(best, bestTool)
local k = jkey(best)
redis.call('HINCRBY', k, 'attempts', 1)
redis.call('HSET', k, 'status', 'running', 'runnerId', runner, 'leaseId', lease, 'claimedAt', NOW, 'leaseExpiresAt', NOW + LEASE_MS)
redis.call('ZADD', P .. 'leases', NOW + LEASE_MS, best)
emit('claimed', best)
return snapshot(best)
`);

/** 6 id, 7 leaseId. A lease that reached no runner (its claim was abandoned): the job goes back, attempt not counted. */
export const RELEASE = script(`
local id, lease = ARGV[6], ARGV[7]
local k = jkey(id)
local st, lid, tool = unpack(redis.call('HMGET', k, 'status', 'leaseId', 'tool'))
if st ~= 'running' or lid ~= lease then return 0 end
redis.call('HINCRBY', k, 'attempts', -1)
redis.call('HDEL', k, 'runnerId', 'leaseId', 'claimedAt', 'leaseExpiresAt')
redis.call('HSET', k, 'status', 'queued')
redis.call('ZREM', P .. 'leases', id)
emit('requeued', id)
enqueue_existing(id, tool)
return 1
`);

/** 6 id, 7 leaseId, 8 progress JSON or ''. Returns {'ok', cancelRequested, leaseExpiresAt}. */
export const HEARTBEAT = script(`
local id, lease, progress = ARGV[6], ARGV[7], ARGV[8]
local k = jkey(id)
if redis.call('EXISTS', k) == 0 then return {'nf'} end
local st, lid, runner, cr = unpack(redis.call('HMGET', k, 'status', 'leaseId', 'runnerId', 'cancelRequested'))
if st ~= 'running' or lid ~= lease then return {'conflict'} end
local exp = NOW + LEASE_MS
redis.call('HSET', k, 'leaseExpiresAt', exp)
redis.call('ZADD', P .. 'leases', exp, id)
if runner and redis.call('EXISTS', P .. 'runner:' .. runner) == 1 then redis.call('HSET', P .. 'runner:' .. runner, 'lastSeen', NOW) end
if progress ~= '' then
  redis.call('HSET', k, 'progress', progress)
  emit('progress', id, progress)
end
return {'ok', cr, tostring(exp)}
`);

/** 6 id, 7 leaseId, 8 outcome status, 9 error JSON or '', 10 error code or '', 11 result JSON or '', 12 resolvedAddress or '', 13 durationMs or ''. */
export const COMPLETE = script(`
local id, lease = ARGV[6], ARGV[7]
local k = jkey(id)
if redis.call('EXISTS', k) == 0 then return {'nf'} end
local st, lid, runner, cr = unpack(redis.call('HMGET', k, 'status', 'leaseId', 'runnerId', 'cancelRequested'))
if TERMINAL[st] and lid == lease then return {'dup', snapshot(id)} end
if st ~= 'running' or lid ~= lease then return {'conflict'} end
if runner then forget_job_control(runner, id) end
for i, name in ipairs({'result', 'resolvedAddress', 'durationMs'}) do
  if ARGV[10 + i] ~= '' then redis.call('HSET', k, name, ARGV[10 + i]) else redis.call('HDEL', k, name) end
end
if ARGV[8] == 'succeeded' then return {'ok', finish(id, 'succeeded')} end
local status = (ARGV[10] == 'CANCELLED' or cr == '1') and 'cancelled' or 'failed'
return {'ok', finish(id, status, ARGV[9])}
`);

/** 6 id, 7 reason JSON. Returns the snapshot (empty when there is no such job). */
export const CANCEL = script(`
local id, reason = ARGV[6], ARGV[7]
local k = jkey(id)
local st, lid, runner, cr, tool = unpack(redis.call('HMGET', k, 'status', 'leaseId', 'runnerId', 'cancelRequested', 'tool'))
if not st or TERMINAL[st] then return snapshot(id) end
if st == 'queued' then
  unqueue(id, tool)
  return finish(id, 'cancelled', reason)
end
if cr ~= '1' then
  redis.call('HSET', k, 'cancelRequested', 1, 'error', reason)
  if runner and lid then post_control(runner, 'cancel', id, lid) end
end
return snapshot(id)
`);

/** 6 id, 7 error JSON. The API gives up on a job that has not ended; its runner gets lease-revoked. */
export const EXPIRE = script(`
local id, err = ARGV[6], ARGV[7]
local k = jkey(id)
local st, lid, runner, tool = unpack(redis.call('HMGET', k, 'status', 'leaseId', 'runnerId', 'tool'))
if not st or TERMINAL[st] then return snapshot(id) end
unqueue(id, tool)
if st == 'running' and runner and lid then post_control(runner, 'lease-revoked', id, lid) end
redis.call('HDEL', k, 'leaseId')
return finish(id, 'failed', err)
`);

/** 6 id, 7 error JSON. 1 when the queued job ended, 0 when it was not queued. */
export const FAIL_IF_QUEUED = script(`
local id, err = ARGV[6], ARGV[7]
local st, tool = unpack(redis.call('HMGET', jkey(id), 'status', 'tool'))
if st ~= 'queued' then return 0 end
unqueue(id, tool)
finish(id, 'failed', err)
return 1
`);
