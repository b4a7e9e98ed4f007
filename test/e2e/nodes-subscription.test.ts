import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NodeChangedSubscription, NodeChangedSubscriptionVariables } from '../gql/graphql.js';
import type { TestSubscription } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import { nodeSubscribers, waitForClusterStatus, waitForNodeSubscribers } from './nodes-helpers.js';
import { NODE_CHANGED_SUBSCRIPTION, NODE_LABEL_QUERY } from './operations/nodes.js';

const run = promisify(execFile);

type NodeChangedEvent = NodeChangedSubscription['nodeChanged'];
type Sub = TestSubscription<NodeChangedSubscription>;

const HISTORY = 20;

describe('Subscription.nodeChanged', () => {
  let sim: SimCluster;
  let gateway: TestGateway;
  let workers: string[];
  /** Subscriptions `subscribe` opened and the test has not closed: what /metrics should count. */
  const open = new Set<Sub>();

  beforeAll(async () => {
    sim = await startSimCluster({ nodes: 20, pods: 0, seed: 21 });
    gateway = await startGateway({
      kubeconfigPath: sim.kubeconfigPath,
      config: { nodeEventHistory: HISTORY },
    });
    await waitForClusterStatus(gateway, 'READY');
    workers = sim.sim.cluster
      .listNodes()
      .filter((n) => n.metadata!.labels!['node-role.kubernetes.io/worker'] !== undefined)
      .map((n) => n.metadata!.name!);
  });

  afterEach(() => {
    // A failed test leaves none open to skew the next one's count.
    for (const sub of open) sub.close();
  });

  afterAll(async () => {
    await gateway?.stop();
    await sim?.stop();
  });

  const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args]);

  /** Subscribes and waits until the gateway has registered the subscriber (or it answered at once). */
  async function subscribe(variables: NodeChangedSubscriptionVariables = {}, sse = false): Promise<Sub> {
    // Those closed are gone first (an SSE close reaches the server late): else one of them could
    // stand in for the new subscription in the count.
    await waitForNodeSubscribers(gateway, open.size);
    const opened = sse
      ? gateway.subscribeSse(NODE_CHANGED_SUBSCRIPTION, variables)
      : gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, variables);
    const sub: Sub = {
      ...opened,
      close() {
        open.delete(sub);
        opened.close();
      },
    };
    open.add(sub);
    await waitFor(async () => sub.received.length > 0 || (await nodeSubscribers(gateway)) === open.size, {
      timeoutMs: 5000,
      what: `${open.size} nodeChanged subscription(s) in place`,
    });
    return sub;
  }

  async function nextEvent(sub: Sub, timeoutMs = 1000): Promise<NodeChangedEvent> {
    const res = await sub.next(timeoutMs);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.nodeChanged;
  }

  it.each<[string, (node: string) => string[], string[], (e: NodeChangedEvent) => boolean]>([
    [
      'kubectl label',
      (n) => ['label', 'node', n, 'team=payments'],
      ['LABELS'],
      (e) => e.node!.labels.some((l) => l.key === 'team' && l.value === 'payments'),
    ],
    [
      'kubectl taint',
      (n) => ['taint', 'node', n, 'dedicated=gpu:NoSchedule'],
      ['TAINTS'],
      (e) => e.node!.taints.some((t) => t.key === 'dedicated' && t.effect === 'NoSchedule'),
    ],
    ['kubectl cordon', (n) => ['cordon', n], ['SCHEDULABLE'], (e) => e.node!.schedulable === false],
  ])('%s reaches a subscriber within 1 s with the right changes', async (_what, args, changes, holds) => {
    const node = workers[0]!;
    const sub = await subscribe({ names: [node] });
    await kubectl(...args(node));
    // The write has happened once kubectl exits: the event must follow within a second.
    const event = await nextEvent(sub, 1000);
    expect(event).toMatchObject({ type: 'MODIFIED', cluster: 'sim', name: node, changes });
    expect(holds(event)).toBe(true);
    sub.close();
  });

  it('sends nothing for heartbeats', async () => {
    const sub = await subscribe();
    sim.sim.cluster.heartbeat();
    sim.sim.cluster.heartbeat();
    sim.sim.cluster.patchNode(workers[1]!, (n) => {
      n.metadata!.labels!.marker = 'after-heartbeats';
    });
    const event = await nextEvent(sub);
    expect(event).toMatchObject({ name: workers[1], changes: ['LABELS'] });
    expect(sub.received).toHaveLength(1);
    sub.close();
  });

  it('filters by kinds, names and label selector (including a node leaving the selection)', async () => {
    const [a, b] = [workers[2]!, workers[3]!];
    const taintsOnly = await subscribe({ kinds: ['TAINTS'] });
    const onlyB = await subscribe({ names: [b] });
    const selected = await subscribe({ labelSelector: 'stage in (canary)' });
    sim.sim.cluster.patchNode(a, (n) => {
      n.metadata!.labels!.stage = 'canary';
    });
    sim.sim.cluster.patchNode(b, (n) => {
      n.spec!.taints = [{ key: 'x', effect: 'NoExecute' }];
    });
    sim.sim.cluster.patchNode(a, (n) => {
      n.metadata!.labels!.stage = 'stable';
    });
    sim.sim.cluster.patchNode(b, (n) => {
      n.metadata!.labels!.stage = 'stable';
    });

    expect(await nextEvent(taintsOnly)).toMatchObject({ name: b, changes: ['TAINTS'] });
    expect(await nextEvent(onlyB)).toMatchObject({ name: b, changes: ['TAINTS'] });
    expect(await nextEvent(onlyB)).toMatchObject({ name: b, changes: ['LABELS'] });
    const entered = await nextEvent(selected);
    const left = await nextEvent(selected);
    expect([entered.name, left.name]).toEqual([a, a]);
    expect(left.node!.labels.find((l) => l.key === 'stage')?.value).toBe('stable');
    await expect(taintsOnly.next(200)).rejects.toThrow(/no event/);
    await expect(selected.next(200)).rejects.toThrow(/no event/);
    for (const s of [taintsOnly, onlyB, selected]) s.close();
  });

  it('reports added and deleted nodes, the last state with DELETED', async () => {
    const sub = await subscribe();
    sim.sim.cluster.addNode('node-burst');
    expect(await nextEvent(sub)).toMatchObject({ type: 'ADDED', name: 'node-burst' });
    await kubectl('delete', 'node', 'node-burst');
    const deleted = await nextEvent(sub);
    expect(deleted).toMatchObject({ type: 'DELETED', name: 'node-burst', node: { name: 'node-burst' } });
    sub.close();
  });

  it('streams over SSE too', async () => {
    const sub = await subscribe({ names: [workers[4]!] }, true);
    sim.sim.cluster.patchNode(workers[4]!, (n) => {
      n.spec!.unschedulable = true;
    });
    expect(await nextEvent(sub)).toMatchObject({ name: workers[4], changes: ['SCHEDULABLE'] });
    sub.close();
  });

  it('replays exactly the missed events to a client reconnecting with since', async () => {
    const node = workers[5]!;
    const first = await subscribe({ names: [node] });
    sim.sim.cluster.patchNode(node, (n) => {
      n.metadata!.labels!.step = '0';
    });
    const seen = await nextEvent(first);
    first.close();
    sim.sim.cluster.patchNode(node, (n) => {
      n.metadata!.labels!.step = '1';
    });
    sim.sim.cluster.patchNode(node, (n) => {
      n.status!.addresses!.push({ type: 'ExternalIP', address: '203.0.113.7' });
    });
    sim.sim.cluster.patchNode(workers[6]!, (n) => {
      n.metadata!.labels!.step = 'other node';
    });
    sim.sim.cluster.patchNode(node, (n) => {
      n.spec!.taints = [{ key: 'k', effect: 'NoSchedule' }];
    });

    const resumed = await subscribe({ names: [node], since: seen.cursor });
    const replay = [await nextEvent(resumed), await nextEvent(resumed), await nextEvent(resumed)];
    expect(replay.map((e) => e.changes)).toEqual([['LABELS'], ['ADDRESSES'], ['TAINTS']]);
    await expect(resumed.next(200)).rejects.toThrow(/no event/);
    // Live events follow the replay on the same subscription.
    sim.sim.cluster.patchNode(node, (n) => {
      n.metadata!.annotations!.live = 'yes';
    });
    expect(await nextEvent(resumed)).toMatchObject({ changes: ['ANNOTATIONS'] });
    resumed.close();
  });

  it('sends one RESYNC when the history no longer reaches back', async () => {
    const sub = await subscribe();
    sim.sim.cluster.patchNode(workers[7]!, (n) => {
      n.metadata!.labels!.old = 'x';
    });
    const old = await nextEvent(sub);
    sub.close();
    for (let i = 0; i <= HISTORY; i++) {
      sim.sim.cluster.patchNode(workers[7]!, (n) => {
        n.metadata!.labels!.round = String(i);
      });
    }
    await waitFor(
      async () => {
        const res = await gateway.query(NODE_LABEL_QUERY, { name: workers[7]!, key: 'round' });
        return res.data?.nodeByName?.label === String(HISTORY);
      },
      { what: 'the gateway to see the last change' },
    );
    const resumed = await subscribe({ since: old.cursor });
    const resync = await nextEvent(resumed);
    expect(resync).toMatchObject({ type: 'RESYNC', name: null, node: null, changes: [] });
    await expect(resumed.next(200)).rejects.toThrow(/no event/);
    // The RESYNC cursor is "now": resubscribing with it replays nothing old.
    const fresh = await subscribe({ since: resync.cursor });
    sim.sim.cluster.patchNode(workers[7]!, (n) => {
      n.spec!.unschedulable = true;
    });
    expect(await nextEvent(fresh)).toMatchObject({ type: 'MODIFIED', changes: ['SCHEDULABLE'] });
    resumed.close();
    fresh.close();
  });

  it.each<[string, NodeChangedSubscriptionVariables, RegExp]>([
    ['an unknown cluster', { cluster: 'nope' }, /unknown cluster "nope"/],
    ['a bad label selector', { labelSelector: 'a notin b' }, /labelSelector/],
    ['a cursor that is not one', { since: 'xyz' }, /since: .*not a nodeChanged cursor/],
    ['an empty kinds list', { kinds: [] }, /kinds/],
  ])('rejects %s with an error saying what to fix', async (_what, variables, message) => {
    const sub = gateway.subscribe(NODE_CHANGED_SUBSCRIPTION, variables);
    const res = await sub.next(2000).catch((err: unknown) => ({ errors: [{ message: String(err) }] }));
    expect(res.errors?.map((e) => e.message).join('\n')).toMatch(message);
    sub.close();
  });
});
