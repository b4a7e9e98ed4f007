import type { Unsubscribe } from '../events/pubsub.js';
import { LuaScript, type RedisConnection, redisCall } from '../events/redis-connection.js';
import type { RedisPubSub } from '../events/redis-pubsub.js';
import { drainStoreFullError } from './drain-errors.js';
import { type DrainEventRecord, type DrainProgressEvent, decodeEvent, encodeEvent } from './drain-event.js';
import { type DrainJob, type DrainJobSnapshot, isTerminalState, TERMINAL_DRAIN_STATES } from './drain-job.js';
import {
  DEFAULT_DRAIN_STORE_LIMITS,
  DrainCommitGapError,
  type DrainEventHandlers,
  type DrainJobFilter,
  type DrainJobStore,
  type DrainStoreLimits,
  drainEventTopic,
  type RecoveredEvents,
} from './drain-job-store.js';
import { type NodeLease, nodeLeaseKey } from './node-lock.js';
import type { RedisNodeLock } from './redis-node-lock.js';
import { subscribeJobEvents } from './subscribe-job-events.js';

/*
 * Keys (after the configured prefix):
 *   drain:job:ID          hash  json, state, cluster, node, seq (last event sequence), cancel ("1" once requested),
 *                               run + step (lease token of the runner and the last of its steps stored)
 *   drain:job:ID:events   list  "seq|event-json", trimmed to maxEventsPerJob
 *   drain:active:C:N      string  id of the active job of node N in cluster C
 *   drain:active-jobs     set   ids of every PENDING/RUNNING job (what the takeover watcher scans)
 *   drain:jobs            zset  every job id, scored by creation time (what `list` walks)
 * A finished job's hash and events expire after `retentionMs`; list drops ids whose hash expired.
 * The scripts touch keys built from ARGV (the active job's hash): fine on one Redis, not on a cluster.
 */

// Makes room in the index (KEYS[3]) by dropping the oldest finished ids (not in the active set
// KEYS[4]; their hashes expire on their own); with only active jobs left, refuses: {-1}.
const CREATE = new LuaScript(
  'drain-job-create',
  `local current = redis.call('GET', KEYS[1])
if current then
  local json = redis.call('HGET', ARGV[4] .. current, 'json')
  if json then return {0, json} end
end
local excess = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[5]) + 1
if excess > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    if excess <= 0 then break end
    if redis.call('SISMEMBER', KEYS[4], id) == 0 then
      redis.call('ZREM', KEYS[3], id)
      excess = excess - 1
    end
  end
  if excess > 0 then return {-1, ''} end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'json', ARGV[2], 'state', 'PENDING', 'seq', 0, 'cancel', 0, 'cluster', ARGV[6], 'node', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return {1, ARGV[2]}`,
);

// Appends one event to the log of job KEYS[1] (events list KEYS[2]) and publishes it on channel ARGV[2].
const APPEND_EVENT = `local function append(event)
  local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  local entry = seq .. '|' .. event
  redis.call('RPUSH', KEYS[2], entry)
  redis.call('PUBLISH', ARGV[2], entry)
  return seq
end`;

// ARGV: maxEvents, channel, lease token, job json, state, terminal (1/0), retention ms, job id,
// first step ('' = the next one), events... The hash's run/step fields say which steps of which
// lease token are stored: a step already there is skipped, so a retried commit appends it once.
const COMMIT = new LuaScript(
  'drain-job-commit',
  `${APPEND_EVENT}
if redis.call('GET', KEYS[3]) ~= ARGV[3] then return -1 end
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local last = 0
if redis.call('HGET', KEYS[1], 'run') == ARGV[3] then last = tonumber(redis.call('HGET', KEYS[1], 'step')) or 0 end
local first = last + 1
if ARGV[9] ~= '' then first = tonumber(ARGV[9]) end
if first > last + 1 then return -2 end
local count = #ARGV - 9
local skip = last - first + 1
if skip > 0 and skip >= count then return tonumber(redis.call('HGET', KEYS[1], 'seq')) end
redis.call('HSET', KEYS[1], 'json', ARGV[4], 'state', ARGV[5], 'run', ARGV[3], 'step', first + count - 1)
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
for i = 10 + skip, #ARGV do seq = append(ARGV[i]) end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[1]), -1)
if ARGV[6] == '1' then
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
  if redis.call('GET', KEYS[4]) == ARGV[8] then redis.call('DEL', KEYS[4]) end
  redis.call('SREM', KEYS[5], ARGV[8])
end
return seq`,
);

// The terminal states as a Lua set, from the one TypeScript list, so script and code cannot disagree.
const TERMINAL_STATES_LUA = `local TERMINAL = { ${TERMINAL_DRAIN_STATES.map((s) => `${s} = true`).join(', ')} }`;

// Re-creates a lost job. KEYS: job, events, lease, active, active set, index. ARGV: token,
// lease ms, json, state, terminal, retention ms, id, cluster, node, created (ms), last sequence,
// last step, max jobs, job key prefix, encoded events...
const RESTORE = new LuaScript(
  'drain-job-restore',
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[5] ~= '1' then
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= ARGV[1] then return 0 end
  local current = redis.call('GET', KEYS[4])
  if current and current ~= ARGV[7] and redis.call('EXISTS', ARGV[14] .. current) == 1 then return 0 end
  redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
  redis.call('SET', KEYS[4], ARGV[7])
  redis.call('SADD', KEYS[5], ARGV[7])
end
redis.call('HSET', KEYS[1], 'json', ARGV[3], 'state', ARGV[4], 'seq', ARGV[11], 'cancel', 0, 'cluster', ARGV[8], 'node', ARGV[9], 'run', ARGV[1], 'step', ARGV[12])
redis.call('DEL', KEYS[2])
for i = 15, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('ZADD', KEYS[6], ARGV[10], ARGV[7])
redis.call('ZREMRANGEBYRANK', KEYS[6], 0, -tonumber(ARGV[13]) - 1)
if ARGV[5] == '1' then
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  redis.call('PEXPIRE', KEYS[2], ARGV[6])
end
return 1`,
);

// ARGV: maxEvents, channel, event
const CANCEL = new LuaScript(
  'drain-job-cancel',
  `${APPEND_EVENT}
${TERMINAL_STATES_LUA}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if TERMINAL[state] then return 0 end
if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 0 end
redis.call('HSET', KEYS[1], 'cancel', '1')
local seq = append(ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[1]), -1)
return seq`,
);

const READ_EVENTS = new LuaScript(
  'drain-job-read-events',
  `local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return {} end
local first = tonumber(string.match(head, '^(%d+)|'))
local start = math.max(0, tonumber(ARGV[1]) + 1 - first)
return redis.call('LRANGE', KEYS[1], start, start + tonumber(ARGV[2]) - 1)`,
);

/** DrainJobStore shared by every replica on one Redis. */
export class RedisDrainJobStore implements DrainJobStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly pubsub: RedisPubSub,
    private readonly lock: RedisNodeLock,
    private readonly limits: DrainStoreLimits = DEFAULT_DRAIN_STORE_LIMITS,
  ) {}

  async createUnlessActive(job: DrainJob): Promise<{ job: DrainJob; created: boolean }> {
    const keys = [
      this.activeKey(job.cluster, job.node),
      this.jobKey(job.id),
      this.indexKey(),
      this.activeSetKey(),
    ];
    const args = [
      job.id,
      JSON.stringify(job),
      Date.parse(job.createdAt),
      this.jobKey(''),
      this.limits.maxJobs,
      job.cluster,
      job.node,
    ];
    const [created, json] = (await CREATE.run(this.connection.client, keys, args)) as [number, string];
    if (created === -1) throw drainStoreFullError(this.limits.maxJobs);
    return { job: JSON.parse(json) as DrainJob, created: created === 1 };
  }

  async get(id: string): Promise<DrainJobSnapshot | undefined> {
    const [json, seq, cancel] = await redisCall('get drain job', () =>
      this.connection.client.hmget(this.jobKey(id), 'json', 'seq', 'cancel'),
    );
    if (!json) return undefined;
    return {
      job: JSON.parse(json) as DrainJob,
      lastSequence: Number(seq ?? 0),
      cancelRequested: cancel === '1',
    };
  }

  async activeJobFor(cluster: string, node: string): Promise<DrainJob | undefined> {
    const id = await redisCall('get active drain', () =>
      this.connection.client.get(this.activeKey(cluster, node)),
    );
    if (!id) return undefined;
    const job = (await this.get(id))?.job;
    return job && !isTerminalState(job.state) ? job : undefined;
  }

  /**
   * Walks the index newest first in pages, deciding on each job from its small hash fields and
   * loading the JSON of matches only; ids whose hash expired are dropped from the index.
   */
  async list(filter: DrainJobFilter): Promise<DrainJob[]> {
    const active = filter.active ? await this.activeJobIds() : undefined;
    const matched: string[] = [];
    const page = 200;
    for (let start = 0; start < this.limits.maxJobs; start += page) {
      // Active jobs (a set, unordered) are all matched, then sorted; the index is already newest first.
      if (!active && matched.length >= filter.limit) break;
      const ids = active ? active.slice(start, start + page) : await this.indexPage(start, page);
      if (ids.length === 0) break;
      matched.push(...(await this.matching(ids, filter)));
    }
    const jsons = await this.loadJsons(active ? matched : matched.slice(0, filter.limit));
    return jsons
      .filter((json): json is string => json !== null)
      .map((json) => JSON.parse(json) as DrainJob)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, filter.limit);
  }

  private indexPage(start: number, count: number): Promise<string[]> {
    return redisCall('list drain jobs', () =>
      this.connection.client.zrevrange(this.indexKey(), start, start + count - 1),
    );
  }

  /** The ids whose job matches `filter`, in order; prunes expired ones from the index. */
  private async matching(ids: readonly string[], filter: DrainJobFilter): Promise<string[]> {
    const fields = await redisCall('filter drain jobs', async () => {
      const pipeline = this.connection.client.pipeline();
      for (const id of ids) pipeline.hmget(this.jobKey(id), 'cluster', 'node', 'state');
      return ((await pipeline.exec()) ?? []).map(([err, value]) => {
        if (err) throw err;
        return value as (string | null)[];
      });
    });
    const expired = ids.filter((_, i) => fields[i]?.[2] == null);
    if (expired.length > 0) {
      await redisCall('prune drain jobs', () => this.connection.client.zrem(this.indexKey(), ...expired));
    }
    return ids.filter((_, i) => {
      const [cluster, node, state] = fields[i] ?? [];
      if (state == null) return false;
      return matches({ cluster: cluster ?? '', node: node ?? '', state: state as DrainJob['state'] }, filter);
    });
  }

  activeJobIds(): Promise<string[]> {
    return redisCall('list active drains', () => this.connection.client.smembers(this.activeSetKey()));
  }

  async commit(
    job: DrainJob,
    events: readonly DrainEventRecord[],
    lease: NodeLease,
    firstStep?: number,
  ): Promise<number | undefined> {
    const keys = [
      this.jobKey(job.id),
      this.eventsKey(job.id),
      this.lock.redisKey(nodeLeaseKey(job.cluster, job.node)),
      this.activeKey(job.cluster, job.node),
      this.activeSetKey(),
    ];
    const terminal = isTerminalState(job.state) ? '1' : '0';
    const args = [
      ...this.logArgs(job.id),
      lease.token,
      JSON.stringify(job),
      job.state,
      terminal,
      this.limits.retentionMs,
      job.id,
      firstStep ?? '',
      ...events.map((e) => JSON.stringify(e)),
    ];
    const seq = (await COMMIT.run(this.connection.client, keys, args)) as number;
    if (seq === -2)
      throw new DrainCommitGapError(`drain ${job.id}: commit from step ${firstStep} leaves a gap`);
    return seq < 0 ? undefined : seq;
  }

  async restore(
    job: DrainJob,
    recovered: RecoveredEvents,
    lease: NodeLease,
    leaseMs: number,
  ): Promise<boolean> {
    const keys = [
      this.jobKey(job.id),
      this.eventsKey(job.id),
      this.lock.redisKey(lease.key),
      this.activeKey(job.cluster, job.node),
      this.activeSetKey(),
      this.indexKey(),
    ];
    const { events, lastSequence, lastStep } = recovered;
    const kept = events.slice(-this.limits.maxEventsPerJob);
    const first = lastSequence - kept.length + 1;
    const args = [
      lease.token,
      leaseMs,
      JSON.stringify(job),
      job.state,
      isTerminalState(job.state) ? '1' : '0',
      this.limits.retentionMs,
      job.id,
      job.cluster,
      job.node,
      Date.parse(job.createdAt),
      lastSequence,
      lastStep,
      this.limits.maxJobs,
      this.jobKey(''),
      ...kept.map((e, i) => encodeEvent(first + i, e)),
    ];
    return (await RESTORE.run(this.connection.client, keys, args)) === 1;
  }

  async requestCancel(id: string, event: DrainEventRecord): Promise<DrainJobSnapshot | undefined> {
    const keys = [this.jobKey(id), this.eventsKey(id)];
    const args = [...this.logArgs(id), JSON.stringify(event)];
    const seq = (await CANCEL.run(this.connection.client, keys, args)) as number;
    return seq < 0 ? undefined : this.get(id);
  }

  async readEvents(id: string, afterSequence: number, limit: number): Promise<DrainProgressEvent[]> {
    // LRANGE start start-1 would mean "to the end of the list", not "nothing".
    if (limit <= 0) return [];
    const entries = (await READ_EVENTS.run(
      this.connection.client,
      [this.eventsKey(id)],
      [afterSequence, limit],
    )) as string[] | null;
    return (entries ?? []).map((e) => decodeEvent(id, e)).filter((e) => e.sequence > afterSequence);
  }

  subscribeEvents(id: string, handlers: DrainEventHandlers): Promise<Unsubscribe> {
    return subscribeJobEvents(this.pubsub, id, handlers);
  }

  /** ARGV[1..2] of the scripts that append events: how many to keep, where to publish. */
  private logArgs(id: string): (string | number)[] {
    return [this.limits.maxEventsPerJob, this.pubsub.channel(drainEventTopic(id))];
  }

  private loadJsons(ids: readonly string[]): Promise<(string | null)[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return redisCall('load drain jobs', async () => {
      const pipeline = this.connection.client.pipeline();
      for (const id of ids) pipeline.hget(this.jobKey(id), 'json');
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, value]) => {
        if (err) throw err;
        return typeof value === 'string' ? value : null;
      });
    });
  }

  private jobKey(id: string): string {
    return this.connection.key('drain', 'job', id);
  }

  private eventsKey(id: string): string {
    return this.connection.key('drain', 'job', id, 'events');
  }

  private activeKey(cluster: string, node: string): string {
    return this.connection.key('drain', 'active', cluster, node);
  }

  private activeSetKey(): string {
    return this.connection.key('drain', 'active-jobs');
  }

  private indexKey(): string {
    return this.connection.key('drain', 'jobs');
  }
}

function matches(job: Pick<DrainJob, 'cluster' | 'node' | 'state'>, filter: DrainJobFilter): boolean {
  if (filter.cluster !== undefined && job.cluster !== filter.cluster) return false;
  if (filter.node !== undefined && job.node !== filter.node) return false;
  if (filter.active !== undefined && isTerminalState(job.state) === filter.active) return false;
  return true;
}
