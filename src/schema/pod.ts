import type { ContainerView, PodView } from '../pods/pod-projection.js';
import type { Connection, Edge } from '../resolvers/connection.js';
import { globalId } from '../resolvers/relay-ids.js';
import { builder } from './builder.js';
import { PageInfoRef } from './page-info.js';
import { RelayNodeRef } from './relay-node.js';

export const PodPhaseEnum = builder.enumType('PodPhase', {
  description: 'core/v1 PodPhase',
  values: {
    PENDING: { value: 'Pending' },
    RUNNING: { value: 'Running' },
    SUCCEEDED: { value: 'Succeeded' },
    FAILED: { value: 'Failed' },
    UNKNOWN: { value: 'Unknown' },
  } as const,
});

export const ContainerStateEnum = builder.enumType('ContainerState', {
  description: 'Which of running / waiting / terminated the container status reports',
  values: ['RUNNING', 'WAITING', 'TERMINATED', 'UNKNOWN'] as const,
});

const PodOwnerRef = builder.objectRef<{ kind: string; name: string }>('PodOwner').implement({
  description: "The pod's controller (its owner reference with controller=true)",
  fields: (t) => ({
    kind: t.exposeString('kind'),
    name: t.exposeString('name'),
  }),
});

const PodContainerRef = builder.objectRef<ContainerView>('PodContainer').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    image: t.exposeString('image', { nullable: true }),
    ready: t.exposeBoolean('ready'),
    restartCount: t.exposeInt('restartCount'),
    state: t.expose('state', { type: ContainerStateEnum }),
    reason: t.exposeString('reason', {
      nullable: true,
      description: 'Why it waits or terminated, e.g. CrashLoopBackOff, Completed, OOMKilled',
    }),
  }),
});

export const PodRef = builder.objectRef<PodView>('Pod').implement({
  description: 'A pod, read straight from the Kubernetes API (pods are never cached)',
  interfaces: [RelayNodeRef],
  fields: (t) => ({
    id: t.id({
      description: 'Global id (cluster, namespace and name); Query.node(id) reads the pod again',
      resolve: (pod) => globalId('Pod', [pod.cluster, pod.namespace, pod.name]),
    }),
    cluster: t.exposeString('cluster'),
    namespace: t.exposeString('namespace'),
    name: t.exposeString('name'),
    uid: t.exposeString('uid'),
    nodeName: t.exposeString('nodeName', { nullable: true }),
    phase: t.expose('phase', { type: PodPhaseEnum }),
    ready: t.exposeBoolean('ready', { description: 'The Ready condition is True' }),
    restarts: t.exposeInt('restarts', { description: 'Restarts of all its containers, summed' }),
    owner: t.field({ type: PodOwnerRef, nullable: true, resolve: (pod) => pod.owner }),
    daemonSet: t.exposeBoolean('daemonSet', { description: 'Managed by a DaemonSet (a drain leaves it)' }),
    mirror: t.exposeBoolean('mirror', {
      description: 'A static pod mirrored by the kubelet (cannot be evicted)',
    }),
    emptyDir: t.exposeBoolean('emptyDir', {
      description: 'Has emptyDir volumes, whose data a drain deletes',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    deletingSince: t.expose('deletingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'Set once the pod is being deleted (metadata.deletionTimestamp)',
    }),
    containers: t.field({ type: [PodContainerRef], resolve: (pod) => pod.containers }),
  }),
});

const PodEdgeRef = builder.objectRef<Edge<PodView>>('PodEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: PodRef, resolve: (edge) => edge.node }),
  }),
});

export const PodConnectionRef = builder.objectRef<Connection<PodView>>('PodConnection').implement({
  description: "A page of a node's pods, ordered by namespace, then name",
  fields: (t) => ({
    edges: t.field({ type: [PodEdgeRef], resolve: (c) => c.edges }),
    nodes: t.field({ type: [PodRef], resolve: (c) => c.edges.map((e) => e.node) }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
    totalCount: t.exposeInt('totalCount', { description: 'Pods matching the filters, across all pages' }),
  }),
});
