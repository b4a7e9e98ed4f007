import { type KubeContainerStatus, type KubePod, type KubePodPhase, POD_PHASES } from './kube-pod.js';
import { controllerOf, hasEmptyDir, isMirrorPod } from './pod-ownership.js';

export type ContainerStateKind = 'RUNNING' | 'WAITING' | 'TERMINATED' | 'UNKNOWN';

export interface ContainerView {
  readonly name: string;
  readonly image: string | null;
  readonly ready: boolean;
  readonly restartCount: number;
  readonly state: ContainerStateKind;
  /** Why a container waits or terminated (CrashLoopBackOff, Completed, OOMKilled…). */
  readonly reason: string | null;
}

/** A pod as the GraphQL API shows it: what a node's pod list and a drain plan need. */
export interface PodView {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly nodeName: string | null;
  readonly phase: KubePodPhase;
  readonly ready: boolean;
  readonly restarts: number;
  /** The controller owning the pod (kubectl drain's "managed by"), if any. */
  readonly owner: { readonly kind: string; readonly name: string } | null;
  readonly daemonSet: boolean;
  /** A static pod the kubelet mirrors into the API; it cannot be evicted. */
  readonly mirror: boolean;
  /** Has emptyDir volumes, whose data a drain deletes. */
  readonly emptyDir: boolean;
  readonly createdAt: string | null;
  readonly deletingSince: string | null;
  readonly containers: readonly ContainerView[];
}

export function projectPod(cluster: string, pod: KubePod): PodView {
  const owner = controllerOf(pod);
  const statuses = pod.status?.containerStatuses ?? [];
  return {
    cluster,
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
    nodeName: pod.spec?.nodeName || null,
    phase: phaseOf(pod),
    ready: isPodReady(pod),
    restarts: statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
    owner: owner ? { kind: owner.kind, name: owner.name } : null,
    daemonSet: owner?.kind === 'DaemonSet',
    mirror: isMirrorPod(pod),
    emptyDir: hasEmptyDir(pod),
    createdAt: pod.metadata.creationTimestamp ?? null,
    deletingSince: pod.metadata.deletionTimestamp ?? null,
    containers: projectContainers(pod),
  };
}

function phaseOf(pod: KubePod): KubePodPhase {
  const phase = pod.status?.phase;
  return (POD_PHASES as readonly string[]).includes(phase ?? '') ? (phase as KubePodPhase) : 'Unknown';
}

/** The pod's Ready condition; without conditions, every container must report ready. */
function isPodReady(pod: KubePod): boolean {
  const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (condition) return condition.status === 'True';
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.length > 0 && statuses.every((c) => c.ready === true);
}

/** Spec containers in spec order, joined with their statuses by name (a status may be missing). */
function projectContainers(pod: KubePod): ContainerView[] {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const specs = pod.spec?.containers ?? [...statuses.values()].map((s) => ({ name: s.name, image: s.image }));
  return specs.map((spec) => projectContainer(spec.name, spec.image, statuses.get(spec.name)));
}

function projectContainer(name: string, image: string | undefined, status: KubeContainerStatus | undefined) {
  const state = status?.state;
  const kind: ContainerStateKind = state?.running
    ? 'RUNNING'
    : state?.waiting
      ? 'WAITING'
      : state?.terminated
        ? 'TERMINATED'
        : 'UNKNOWN';
  return {
    name,
    image: image ?? status?.image ?? null,
    ready: status?.ready ?? false,
    restartCount: status?.restartCount ?? 0,
    state: kind,
    reason: state?.waiting?.reason ?? state?.terminated?.reason ?? null,
  };
}

/** Opaque, stable cursor of a pod in a node's pod list (namespace/name order). */
export function podCursor(pod: { namespace: string; name: string }): string {
  return Buffer.from(`${pod.namespace}/${pod.name}`, 'utf8').toString('base64url');
}

export function decodePodCursor(cursor: string): { namespace: string; name: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  return { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}
