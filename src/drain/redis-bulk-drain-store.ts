import type { Unsubscribe } from '../events/pubsub.js';
import { LuaScript, type RedisConnection, redisCall } from '../events/redis-connection.js';
import type { RedisPubSub } from '../events/redis-pubsub.js';
import {
  type BulkDrainEvent,
  type BulkDrainEventRecord,
  type BulkDrainJob,
  type BulkDrainSnapshot,
  bulkDrainTopic,
  decodeBulkEvent,
  isTerminalBulkState,
} from './bulk-drain-job.js';
import {
  type BulkDrainEventHandlers,
  type BulkDrainStore,
  type BulkDrainStoreLimits,
  DEFAULT_BULK_DRAIN_STORE_LIMITS,
} from './bulk-drain-store.js';
import { bulkLeaseKey, type NodeLease } from './node-lock.js';
import type { RedisNodeLock } from './redis-node-lock.js';

/*
 * Keys (after the configured prefix):
 *   drain:bulk:ID          hash  json, state, seq (last event sequence), cancel ("1" once requested),
 *                                run, step (lease token of the last commit, its last step stored)
 *   drain:bulk:ID:events   list  "seq|event-json", trimmed to maxEvents
 *   drain:bulk:ID:lease    string  token of the coordinator lease (RedisNodeLock, bulkLeaseKey)
 *   drain:active-bulk-jobs set   ids of every unfinished bulk job (what the takeover watcher scans)
 * Every key expires: an unfinished job after a day (a coordinator that died leaves it behind), a
 * finished one after retentionMs.
 */
const UNFINISHED_TTL_MS = 86_400_000;

// Appends one event to the log (KEYS[2]) of job KEYS[1] and publishes it on channel ARGV[2].
const APPEND = `local function append(event)
  local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  local entry = seq .. '|' .. event
  redis.call('RPUSH', KEYS[2], entry)
  redis.call('PUBLISH', ARGV[2], entry)
  return seq
end`;

// KEYS: job, events, coordinator lease, active set. ARGV: maxEvents, channel, json, state,
// ttl ms, lease token, terminal (1/0), job id, first step, events... Refused (-1) unless the token
// holds the lease. Steps of this token already stored (a retried commit whose first try ran) are
// skipped; a batch with nothing new changes nothing.
const COMMIT = new LuaScript(
  'drain-bulk-commit',
  `${APPEND}
if redis.call('GET', KEYS[3]) ~= ARGV[6] then return -1 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local last = 0
if redis.call('HGET', KEYS[1], 'run') == ARGV[6] then last = tonumber(redis.call('HGET', KEYS[1], 'step')) or 0 end
local first = tonumber(ARGV[9])
local count = #ARGV - 9
local skip = math.max(0, last - first + 1)
if skip >= count then return tonumber(redis.call('HGET', KEYS[1], 'seq')) end
redis.call('HSET', KEYS[1], 'json', ARGV[3], 'state', ARGV[4], 'run', ARGV[6], 'step', first + count - 1)
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
for i = 10 + skip, #ARGV do seq = append(ARGV[i]) end
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[1]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if ARGV[7] == '1' then redis.call('SREM', KEYS[4], ARGV[8]) end
return seq`,
);

// The active set (KEYS[1]) without the ids whose job expired (a coordinator died a day ago);
// those are dropped from it. ARGV[1]: the job key prefix.
const ACTIVE_IDS = new LuaScript(
  'drain-bulk-active-ids',
  `local live = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. id) == 1 then table.insert(live, id)
  else redis.call('SREM', KEYS[1], id) end
end
return live`,
);

// ARGV: maxEvents, channel, event
const CANCEL = new LuaScript(
  'drain-bulk-cancel',
  `${APPEND}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state == 'SUCCEEDED' or state == 'FAILED' or state == 'CANCELLED' then return 0 end
if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 0 end
redis.call('HSET', KEYS[1], 'cancel', '1')
local seq = append(ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[1]), -1)
return seq`,
);

const READ_EVENTS = new LuaScript(
  'drain-bulk-read-events',
  `local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return {} end
local first = tonumber(string.match(head, '^(%d+)|'))
local start = math.max(0, tonumber(ARGV[1]) + 1 - first)
return redis.call('LRANGE', KEYS[1], start, start + tonumber(ARGV[2]) - 1)`,
);

/** BulkDrainStore shared by every replica on one Redis. */
export class RedisBulkDrainStore implements BulkDrainStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly pubsub: RedisPubSub,
    private readonly lock: RedisNodeLock,
    private readonly limits: BulkDrainStoreLimits = DEFAULT_BULK_DRAIN_STORE_LIMITS,
  ) {}

  async create(job: BulkDrainJob): Promise<void> {
    const key = this.jobKey(job.id);
    await redisCall('create bulk drain', () =>
      this.connection.client
        .multi()
        .hset(key, 'json', JSON.stringify(job), 'state', job.state, 'seq', 0, 'cancel', 0)
        .pexpire(key, UNFINISHED_TTL_MS)
        .sadd(this.activeSetKey(), job.id)
        .pexpire(this.activeSetKey(), UNFINISHED_TTL_MS)
        .exec(),
    );
  }

  async get(id: string): Promise<BulkDrainSnapshot | undefined> {
    const [json, seq, cancel] = await redisCall('get bulk drain', () =>
      this.connection.client.hmget(this.jobKey(id), 'json', 'seq', 'cancel'),
    );
    if (!json) return undefined;
    return {
      job: JSON.parse(json) as BulkDrainJob,
      lastSequence: Number(seq ?? 0),
      cancelRequested: cancel === '1',
    };
  }

  async activeJobIds(): Promise<string[]> {
    return (await ACTIVE_IDS.run(
      this.connection.client,
      [this.activeSetKey()],
      [this.connection.key('drain', 'bulk', '')],
    )) as string[];
  }

  async commit(
    job: BulkDrainJob,
    events: readonly BulkDrainEventRecord[],
    lease: NodeLease,
    firstStep: number,
  ): Promise<number | undefined> {
    const terminal = isTerminalBulkState(job.state);
    const keys = [...this.keys(job.id), this.lock.redisKey(bulkLeaseKey(job.id)), this.activeSetKey()];
    const args = [
      ...this.logArgs(job.id),
      JSON.stringify(job),
      job.state,
      terminal ? this.limits.retentionMs : UNFINISHED_TTL_MS,
      lease.token,
      terminal ? '1' : '0',
      job.id,
      firstStep,
      ...events.map((e) => JSON.stringify(e)),
    ];
    const seq = (await COMMIT.run(this.connection.client, keys, args)) as number;
    return seq < 0 ? undefined : seq;
  }

  async requestCancel(id: string, event: BulkDrainEventRecord): Promise<BulkDrainSnapshot | undefined> {
    const seq = (await CANCEL.run(this.connection.client, this.keys(id), [
      ...this.logArgs(id),
      JSON.stringify(event),
    ])) as number;
    return seq < 0 ? undefined : this.get(id);
  }

  async readEvents(id: string, afterSequence: number, limit: number): Promise<BulkDrainEvent[]> {
    if (limit <= 0) return [];
    const entries = (await READ_EVENTS.run(
      this.connection.client,
      [this.eventsKey(id)],
      [afterSequence, limit],
    )) as string[] | null;
    return (entries ?? []).map((e) => decodeBulkEvent(id, e)).filter((e) => e.sequence > afterSequence);
  }

  subscribeEvents(id: string, handlers: BulkDrainEventHandlers): Promise<Unsubscribe> {
    return this.pubsub.subscribe(bulkDrainTopic(id), {
      message: (message) => handlers.event(decodeBulkEvent(id, message)),
      error: (err) => handlers.error(err),
    });
  }

  private logArgs(id: string): (string | number)[] {
    return [this.limits.maxEvents, this.pubsub.channel(bulkDrainTopic(id))];
  }

  private keys(id: string): string[] {
    return [this.jobKey(id), this.eventsKey(id)];
  }

  private jobKey(id: string): string {
    return this.connection.key('drain', 'bulk', id);
  }

  private activeSetKey(): string {
    return this.connection.key('drain', 'active-bulk-jobs');
  }

  private eventsKey(id: string): string {
    return this.connection.key('drain', 'bulk', id, 'events');
  }
}
