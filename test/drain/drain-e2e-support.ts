import { expect } from 'vitest';
import { labelSelectorFromSpec, matches } from '../../src/clusters/label-selector.js';
import type { SimulatorHandle } from '../../src/sim/index.js';
import type { SimPod } from '../../src/sim/kube-object.js';
import { CANCEL_DRAIN, DRAIN_JOB, DRAIN_NODE } from '../e2e/operations/drain.js';
import type {
  CancelDrainMutation,
  DrainJobQuery,
  DrainNodeMutation,
  DrainOptions,
  DrainProgressSubscription,
} from '../gql/graphql.js';
import type { GatewayClient } from '../support/gateway-client.js';
import type { GraphQLResponse, TestSubscription } from '../support/graphql-clients.js';
import { waitFor } from '../support/wait-for.js';

/** What the drain e2e helpers need of a gateway (in-process or spawned). */
export type GraphQLEndpoint = Pick<GatewayClient, 'query'>;

/** A drain job as drainNode and cancelDrain return it. */
export type DrainJob = NonNullable<DrainNodeMutation['drainNode']>;
/** A drain job as Query.drainJob returns it: with its event log. */
export type DrainJobWithEvents = NonNullable<DrainJobQuery['drainJob']>;
export type DrainProgressEvent = DrainProgressSubscription['drainProgress'];

/** The field `field` of a response that must have no errors and a value there. */
export function dataOf<TData, K extends keyof TData>(
  response: GraphQLResponse<TData>,
  field: K,
): NonNullable<TData[K]> {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const value = response.data?.[field];
  if (value === undefined || value === null)
    throw new Error(`no ${String(field)} in ${JSON.stringify(response)}`);
  return value;
}

export async function startDrain(
  gateway: GraphQLEndpoint,
  name: string,
  options: DrainOptions = {},
  cluster?: string,
): Promise<DrainJob> {
  return dataOf(await gateway.query(DRAIN_NODE, { cluster, name, options }), 'drainNode');
}

export async function cancelDrain(
  gateway: GraphQLEndpoint,
  id: string,
): Promise<NonNullable<CancelDrainMutation['cancelDrain']>> {
  return dataOf(await gateway.query(CANCEL_DRAIN, { id }), 'cancelDrain');
}

export async function readJob(gateway: GraphQLEndpoint, id: string): Promise<DrainJobWithEvents> {
  return dataOf(await gateway.query(DRAIN_JOB, { id }), 'drainJob');
}

/** Polls the job until it has finished. */
export function untilFinished(
  gateway: GraphQLEndpoint,
  id: string,
  timeoutMs = 20_000,
): Promise<DrainJobWithEvents> {
  return waitFor(
    async () => {
      const job = await readJob(gateway, id);
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.state) ? job : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `drain job ${id} to finish` },
  );
}

/** Every event of a drainProgress subscription until the server completes it. */
export async function allProgress(
  subscription: TestSubscription<DrainProgressSubscription>,
  timeoutMs = 20_000,
): Promise<DrainProgressEvent[]> {
  const events: DrainProgressEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let response: GraphQLResponse<DrainProgressSubscription>;
    try {
      response = await subscription.next(Math.max(1, deadline - Date.now()));
    } catch (err) {
      if (String(err).includes('ended')) return events;
      throw err;
    }
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    events.push(response.data!.drainProgress);
  }
}

/** Sequence numbers must start at the snapshot's and go up by one, with no gap and no repeat. */
export function expectContiguous(events: readonly DrainProgressEvent[]): void {
  expect(events[0]?.kind).toBe('JOB_SNAPSHOT');
  const first = events[0]?.sequence ?? 0;
  expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => (i === 0 ? first : first + i)));
}

export const isEvictionCreate = (e: { verb: string; resource: string; subresource?: string }) =>
  e.verb === 'create' && e.resource === 'pods' && e.subresource === 'eviction';

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Writes the gateway sent (the simulator's own controllers write without HTTP requests). */
export function auditWrites(sim: SimulatorHandle, since = 0): string[] {
  return sim.audit
    .entries()
    .filter((e) => WRITE_VERBS.has(e.verb) && Date.parse(e.time) >= since)
    .map(
      (e) =>
        `${e.verb} ${e.resource}${e.subresource ? `/${e.subresource}` : ''} ${e.namespace ?? ''}/${e.name ?? ''}`,
    );
}

export function evictedPods(sim: SimulatorHandle, since = 0): string[] {
  return sim.audit
    .entries()
    .filter((e) => isEvictionCreate(e) && Date.parse(e.time) >= since && e.code < 300)
    .map((e) => `${e.namespace}/${e.name}`)
    .sort();
}

export function podsOn(sim: SimulatorHandle, node: string): SimPod[] {
  return [...sim.cluster.listPods({ nodeName: node })];
}

export const keyOf = (p: SimPod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

export function controllerKind(p: SimPod): string | undefined {
  return p.metadata?.ownerReferences?.find((r) => r.controller)?.kind;
}

/** A static pod as the kubelet mirrors it: annotation, owned by the node. */
export function addMirrorPod(sim: SimulatorHandle, node: string): SimPod {
  return sim.cluster.createPod({
    metadata: {
      name: `static-web-${node}`,
      namespace: 'kube-system',
      annotations: { 'kubernetes.io/config.mirror': 'abc123', 'kubernetes.io/config.source': 'file' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: 'node-uid', controller: true }],
    },
    spec: { nodeName: node, containers: [{ name: 'web', image: 'nginx:1.27' }] },
  });
}

/**
 * A running ReplicaSet pod on `node` that no PodDisruptionBudget selects, given its own label and
 * a budget that selects only it. minAvailable 1 allows no disruption of that one pod; 0 allows it.
 */
export function guardPodWithBudget(sim: SimulatorHandle, node: string, minAvailable = 1): SimPod {
  const pod = podsOn(sim, node).find(
    (p) =>
      controllerKind(p) === 'ReplicaSet' &&
      p.status?.phase === 'Running' &&
      !p.metadata?.deletionTimestamp &&
      !sim.cluster
        .listPodDisruptionBudgets(p.metadata?.namespace)
        .some((b) => b.spec?.selector && matches(labelSelectorFromSpec(b.spec.selector), p.metadata?.labels)),
  );
  if (!pod) throw new Error(`no unguarded ReplicaSet pod on ${node}`);
  const name = pod.metadata!.name!;
  const namespace = pod.metadata!.namespace!;
  sim.cluster.patchPod(namespace, name, (p) => {
    p.metadata!.labels = { ...p.metadata!.labels, 'drain-test': name };
  });
  sim.cluster.createPodDisruptionBudget({
    metadata: { name: `guard-${name}`, namespace },
    spec: { minAvailable, selector: { matchLabels: { 'drain-test': name } } },
  });
  return pod;
}

export function setBudget(sim: SimulatorHandle, pod: SimPod, minAvailable: number): void {
  const namespace = pod.metadata!.namespace!;
  const budget = sim.cluster
    .listPodDisruptionBudgets(namespace)
    .find((b) => b.metadata?.name === `guard-${pod.metadata!.name}`);
  if (!budget) throw new Error('no guard budget');
  sim.cluster.updatePodDisruptionBudget({ ...budget, spec: { ...budget.spec, minAvailable } });
}

/** Audit lines of writes about `node` or the pods in `podKeys` (other tests' drains share the sim). */
export function writesAbout(
  sim: SimulatorHandle,
  node: string,
  podKeys: readonly string[],
  since: number,
): string[] {
  const pods = new Set(podKeys);
  return sim.audit
    .entries()
    .filter((e) => WRITE_VERBS.has(e.verb) && Date.parse(e.time) >= since)
    .filter((e) => (e.resource === 'nodes' && e.name === node) || pods.has(`${e.namespace}/${e.name}`))
    .map(
      (e) =>
        `${e.verb} ${e.resource}${e.subresource ? `/${e.subresource}` : ''} ${e.namespace ?? ''}/${e.name ?? ''}`,
    );
}

/** Hands out a different drainable worker node of the simulator on each call. */
export function workerNodePicker(cluster: () => SimulatorHandle): () => string {
  const used: string[] = [];
  return () => {
    const node = cluster().cluster.findWorkerNode({ exclude: used });
    used.push(node);
    return node;
  };
}
