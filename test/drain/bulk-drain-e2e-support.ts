import { expect } from 'vitest';
import { labelSelectorFromSpec, matches } from '../../src/clusters/label-selector.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import type { SimPod } from '../../src/sim/kube-object.js';
import type { BulkDrainProgressSubscription } from '../gql/graphql.js';
import type { GraphQLResponse, TestSubscription } from '../support/graphql-clients.js';
import { isEvictionCreate } from './drain-e2e-support.js';

export type BulkDrainEvent = BulkDrainProgressSubscription['bulkDrainProgress'];

/** Every event of a bulkDrainProgress subscription until the server completes it. */
export async function allBulkProgress(
  subscription: TestSubscription<BulkDrainProgressSubscription>,
  timeoutMs = 60_000,
): Promise<BulkDrainEvent[]> {
  const events: BulkDrainEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let response: GraphQLResponse<BulkDrainProgressSubscription>;
    try {
      response = await subscription.next(Math.max(1, deadline - Date.now()));
    } catch (err) {
      if (String(err).includes('ended')) return events;
      throw err;
    }
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    events.push(response.data!.bulkDrainProgress);
  }
}

/** Sequences go up by one from the snapshot's, with no gap and no repeat. */
export function expectContiguousBulk(events: readonly BulkDrainEvent[]): void {
  expect(events[0]?.kind).toBe('BULK_SNAPSHOT');
  events.slice(1).forEach((e, i) => {
    expect(e.sequence).toBe((events[0]?.sequence ?? 0) + i + 1);
  });
}

/**
 * Gives every ReplicaSet of 2+ replicas that no budget covers yet a PodDisruptionBudget allowing
 * one disruption (maxUnavailable 1), so drains of nodes sharing its pods contend for it.
 */
export function budgetEveryReplicaSet(sim: SimulatorHandle): number {
  let created = 0;
  for (const rs of sim.cluster.listReplicaSets()) {
    const namespace = rs.metadata?.namespace ?? 'default';
    const selector = rs.spec?.selector;
    if (!selector || (rs.spec?.replicas ?? 1) < 2) continue;
    const compiled = labelSelectorFromSpec(selector);
    const pods = sim.cluster.listPods({ namespace }).filter((p) => matches(compiled, p.metadata?.labels));
    const covered = sim.cluster
      .listPodDisruptionBudgets(namespace)
      .some(
        (b) =>
          b.spec?.selector &&
          pods.some((p) => matches(labelSelectorFromSpec(b.spec!.selector!), p.metadata?.labels)),
      );
    if (covered || pods.length < 2) continue;
    sim.cluster.createPodDisruptionBudget({
      metadata: { name: `bulk-${rs.metadata?.name}`, namespace },
      spec: { maxUnavailable: 1, selector },
    });
    created++;
  }
  return created;
}

/** Admitted evictions (2xx) the simulator's audit log holds, with their times. */
export function admittedEvictions(sim: SimulatorHandle): { pod: string; at: number }[] {
  return sim.audit
    .entries()
    .filter((e) => isEvictionCreate(e) && e.code < 300)
    .map((e) => ({ pod: `${e.namespace}/${e.name}`, at: Date.parse(e.time) }));
}

/** Most nodes DRAINING at once, replayed from the NODE_STATE events over the nodes draining `initially`. */
export function peakDraining(
  events: readonly Pick<BulkDrainEvent, 'kind' | 'node' | 'nodeState'>[],
  initially: readonly string[] = [],
): number {
  const draining = new Set(initially);
  let peak = draining.size;
  for (const e of events) {
    if (e.kind !== 'NODE_STATE' || !e.node) continue;
    if (e.nodeState === 'DRAINING') draining.add(e.node);
    else draining.delete(e.node);
    peak = Math.max(peak, draining.size);
  }
  return peak;
}

/** A bare pod on `node` that a budget (minAvailable 1) never lets go: the node's drain blocks on it. */
export function blockNodeWithBudget(sim: SimulatorHandle, node: string): SimPod {
  const name = `blocker-${node}`;
  const pod = sim.cluster.createPod({
    metadata: { name, namespace: 'default', labels: { 'bulk-blocker': name } },
    spec: { nodeName: node, containers: [{ name: 'main', image: 'busybox:1.36' }] },
    // Running and Ready from the start: the Eviction API lets a Pending pod go without asking
    // its budget, so a pod the kubelet had not started yet would not block the drain.
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  sim.cluster.createPodDisruptionBudget({
    metadata: { name, namespace: 'default' },
    spec: { minAvailable: 1, selector: { matchLabels: { 'bulk-blocker': name } } },
  });
  return pod;
}
