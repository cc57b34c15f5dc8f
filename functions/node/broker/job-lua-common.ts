/**
 * Lua shared by every job script (docs/design.md, "Broker"). A script runs atomically in Redis, so a claim, a lease
 * sweep or a cancel never interleaves with another replica's. Times come from the Redis clock (TIME), so replicas
 * with different clocks agree on lease expiry. Key names follow redis-keys.ts.
 *
 * ARGV: 1 prefix, 2 origin (this replica's id, so listeners can tell local from remote events), 3 maxRetained,
 * 4 retention ms (0 = count bound only), 5 lease ms; script-specific arguments start at 6.
 * Events go to one channel (`ev`) in one global order: {k='job'|'runner'|'wake'|'ctl', ...}.
 */
export const LUA_COMMON = `
local P, ORIGIN = ARGV[1], ARGV[2]
local MAX_RETAINED, RETENTION_MS, LEASE_MS = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local T = redis.call('TIME')
local NOW = tonumber(T[1]) * 1000 + math.floor(tonumber(T[2]) / 1000)
local TERMINAL = { succeeded = true, failed = true, cancelled = true }

local function jkey(id) return P .. 'job:' .. id end
local function publish(msg) redis.call('PUBLISH', P .. 'ev', cjson.encode(msg)) end
local function snapshot(id) return redis.call('HGETALL', jkey(id)) end
local function emit(kind, id, progress)
  local m = { k = 'job', o = ORIGIN, t = kind, j = snapshot(id) }
  if progress then m.p = progress end
  publish(m)
end

local function enqueue_existing(id, tool)
  local seq = redis.call('INCR', P .. 'seq')
  redis.call('HSET', jkey(id), 'seq', seq)
  redis.call('ZADD', P .. 'q:' .. tool, seq, id)
  redis.call('ZADD', P .. 'queued', seq, id)
  publish({ k = 'wake', tool = tool })
end

local function unqueue(id, tool)
  redis.call('ZREM', P .. 'q:' .. tool, id)
  redis.call('ZREM', P .. 'queued', id)
end

-- A control message for a runner: straight to its parked polls on any replica, else kept for its next poll.
local function post_control(runner, kind, id, lease)
  local msg = { type = kind, jobId = id, leaseId = lease }
  redis.call('ZREMRANGEBYSCORE', P .. 'ctlpark:' .. runner, '-inf', NOW)
  if redis.call('ZCARD', P .. 'ctlpark:' .. runner) > 0 then
    publish({ k = 'ctl', r = runner, m = msg })
  else
    local l = P .. 'ctl:' .. runner
    redis.call('RPUSH', l, cjson.encode(msg))
    redis.call('LTRIM', l, -64, -1)
  end
end

local function forget_job_control(runner, id)
  local l = P .. 'ctl:' .. runner
  for _, raw in ipairs(redis.call('LRANGE', l, 0, -1)) do
    if cjson.decode(raw).jobId == id then redis.call('LREM', l, 0, raw) end
  end
end

local function drop_job(id)
  local ik = redis.call('HGET', jkey(id), 'ikey')
  if ik and redis.call('GET', ik) == id then redis.call('DEL', ik) end
  redis.call('DEL', jkey(id))
  redis.call('ZREM', P .. 'jobs', id)
  redis.call('ZREM', P .. 'finished', id)
end

-- End a job: emit, then keep at most MAX_RETAINED ended jobs (and none older than RETENTION_MS). Returns its snapshot.
local function finish(id, status, err)
  local k = jkey(id)
  redis.call('HSET', k, 'status', status, 'finishedAt', NOW)
  if err and err ~= '' then redis.call('HSET', k, 'error', err) end
  redis.call('ZREM', P .. 'leases', id)
  local snap = snapshot(id)
  publish({ k = 'job', o = ORIGIN, t = status, j = snap })
  local f = P .. 'finished'
  redis.call('ZADD', f, redis.call('INCR', P .. 'seq'), id)
  if RETENTION_MS > 0 then
    redis.call('PEXPIRE', k, RETENTION_MS)
    local ik = redis.call('HGET', k, 'ikey')
    if ik then redis.call('PEXPIRE', ik, RETENTION_MS) end
    -- Oldest first; stop at the first one still young enough (ends are in time order).
    for _, old in ipairs(redis.call('ZRANGE', f, 0, 99)) do
      local at = tonumber(redis.call('HGET', jkey(old), 'finishedAt') or '0')
      if at >= NOW - RETENTION_MS then break end
      drop_job(old)
    end
  end
  local over = redis.call('ZCARD', f) - MAX_RETAINED
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', f, 0, over - 1)) do drop_job(old) end
  end
  return snap
end
`;
