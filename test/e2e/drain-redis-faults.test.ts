import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allProgress,
  guardPodWithBudget,
  keyOf,
  podsOn,
  readJob,
  setBudget,
  startDrain,
  untilFinished,
  workerNodePicker,
} from '../drain/drain-e2e-support.js';
import { SIM_DRAIN_CONFIG } from '../support/drain-timings.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { DRAIN_JOB_STEPS, DRAIN_PROGRESS } from './operations/drain.js';

/** The gateway's Redis command deadline (RedisConnection's default; no flag sets it). */
const COMMAND_TIMEOUT_MS = 2000;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The job's recorded steps, through the drainJob field clients read. */
async function storedSteps(gateway: TestGateway, id: string) {
  const response = await gateway.query(DRAIN_JOB_STEPS, { id });
  return response.data?.drainJob?.events ?? [];
}

/** A redis-server of this test's own, without persistence: a restart comes back empty. */
class OwnRedis {
  private process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.process = child;
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {}); // refused until the server listens: what the probe waits out
    try {
      await waitFor(
        async () => {
          if (probe.status !== 'ready') await probe.connect().catch(() => undefined);
          return (await probe.ping().catch(() => undefined)) === 'PONG';
        },
        { what: 'redis-server to answer' },
      );
    } finally {
      probe.disconnect();
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.process?.kill(signal);
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT'); // a stopped process would not act on SIGKILL's exit until continued
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

describe('drains through Redis faults', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;
  let redis: OwnRedis;
  const pickNode = workerNodePicker(() => cluster.sim);

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    cluster = await startSimCluster({ nodes: 6, pods: 60, seed: 71 });
    // The lease outlives the stall (a renewal may fail for 0.8 of it), so the stall alone loses nothing.
    const drain = { ...SIM_DRAIN_CONFIG, leaseMs: 6000 };
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { redisUrl: redis.url, redisKeyPrefix: 'kng-faults:', drain },
    });
  });
  afterAll(async () => {
    await redis?.kill();
    await gateway?.stop();
    await cluster?.stop();
  });

  /** Starts a drain kept retrying by a budget, and waits until a blocked eviction is stored. */
  async function blockedDrain() {
    const node = pickNode();
    const guarded = guardPodWithBudget(cluster.sim, node);
    const job = await startDrain(gateway, node, { deleteEmptyDirData: true, force: true });
    await waitFor(
      async () => (await readJob(gateway, job.id)).events?.some((e) => e.kind === 'POD_BLOCKED'),
      {
        what: 'a stored blocked eviction',
      },
    );
    return { node, guarded, job };
  }

  it('a Redis stall longer than the command timeout leaves every drain step recorded once', async () => {
    const { guarded, job } = await blockedDrain();
    redis.signal('SIGSTOP');
    // The stall is the fault itself: commits time out and are retried while Redis sleeps.
    await new Promise((r) => setTimeout(r, COMMAND_TIMEOUT_MS * 1.5));
    redis.signal('SIGCONT');
    await waitFor(
      async () => {
        const events = (await readJob(gateway, job.id)).events ?? [];
        const last = Math.max(...events.map((e) => e.sequence));
        return events.filter((e) => e.kind === 'POD_BLOCKED').length >= 3 && last;
      },
      { what: 'blocked retries recorded after the stall' },
    );
    setBudget(cluster.sim, guarded, 0);
    expect((await untilFinished(gateway, job.id)).state).toBe('SUCCEEDED');
    const events = await storedSteps(gateway, job.id);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    const steps = events.map((e) => `${e.kind} ${e.pod?.namespace}/${e.pod?.name} ${e.message}`);
    const repeated = steps.filter((step, i) => i > 0 && step === steps[i - 1]);
    expect(repeated).toEqual([]);
    const attempts = events.filter((e) => e.kind === 'POD_BLOCKED').map((e) => e.message);
    expect(new Set(attempts).size).toBe(attempts.length);
  });

  it('a Redis restart that lost every key: the runner re-creates the job and finishes it', async () => {
    const { node, guarded, job } = await blockedDrain();
    const subscription = gateway.subscribe(DRAIN_PROGRESS, {
      id: job.id,
    });
    await subscription.next(); // the snapshot: subscribed before the restart
    await redis.kill();
    await redis.start();
    // The stream broke with the connection: one error, then the subscription ends.
    const failure = await waitFor(() => subscription.received.find((r) => r.errors)?.errors?.[0], {
      what: 'the subscription error',
    });
    // Which error depends on who notices first: the broken event stream (UPSTREAM_UNAVAILABLE),
    // or, on a slow machine, its reconnect reading a job the restart lost (NOT_FOUND).
    expect(['UPSTREAM_UNAVAILABLE', 'NOT_FOUND']).toContain(failure.extensions?.code);
    await subscription.done;
    const recreated = await waitFor(
      async () => (await gateway.query(DRAIN_JOB_STEPS, { id: job.id })).data?.drainJob?.id,
      { timeoutMs: 15_000, what: 'the runner to re-create the job' },
    );
    expect(recreated).toBe(job.id);
    setBudget(cluster.sim, guarded, 0);
    const finished = await untilFinished(gateway, job.id);
    expect(finished.state).toBe('SUCCEEDED');
    const events = finished.events ?? [];
    expect(events.at(-1)?.kind).toBe('JOB_SUCCEEDED');
    expect(
      events.some((e) => e.kind === 'JOB_TAKEN_OVER' && /re-created the job/.test(e.message ?? '')),
    ).toBe(true);
    const sequences = events.map((e) => e.sequence);
    expect(sequences).toEqual(sequences.map((_, i) => sequences[0]! + i));
    // drainProgress resumes: a snapshot of the finished job, its terminal event, then the end.
    const resumed = await allProgress(gateway.subscribe(DRAIN_PROGRESS, { id: job.id }));
    expect(resumed).toHaveLength(2);
    expect(resumed[0]).toMatchObject({
      kind: 'JOB_SNAPSHOT',
      sequence: sequences.at(-1)! - 1,
      job: { state: 'SUCCEEDED' },
    });
    expect(resumed[1]).toMatchObject({ kind: 'JOB_SUCCEEDED', sequence: sequences.at(-1) });
    // The node is as the job says: cordoned, and every pod the job evicted is gone.
    expect(cluster.sim.cluster.getNode(node)?.spec?.unschedulable).toBe(true);
    const left = new Set(podsOn(cluster.sim, node).map(keyOf));
    const evicted = finished.pods
      .filter((p) => p.status === 'DELETED')
      .map((p) => `${p.namespace}/${p.name}`);
    expect(evicted).toContain(keyOf(guarded));
    expect(evicted.filter((p) => left.has(p))).toEqual([]);
    expect(finished.counts.pending + finished.counts.evicting + finished.counts.blocked).toBe(0);
  });
});
