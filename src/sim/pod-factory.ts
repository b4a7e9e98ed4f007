/**
 * Pod templates and pods built from them, shaped like what controllers and kubelets produce (default
 * tolerations, the projected service-account volume, five pod conditions, container statuses).
 * The ReplicaSet and DaemonSet controllers use the same functions as the cluster generator.
 */
import type { KubeObject, OwnerReference } from './kube-object.js';
import { rfc3339 } from './kube-object.js';
import { DEFAULT_TOLERATIONS, qosClass } from './pod-defaults.js';
import type { Random } from './random.js';

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> };
}

export interface ContainerSpec {
  name: string;
  image: string;
  port?: number;
  cpu: string;
  memory: string;
  limits?: boolean;
}

export interface TemplateOptions {
  labels: Record<string, string>;
  containers: ContainerSpec[];
  emptyDir?: boolean;
  tolerateEverything?: boolean;
  hostNetwork?: boolean;
  priorityClassName?: string;
  serviceAccountName?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  nodeSelector?: Record<string, string>;
}

export function makeTemplate(o: TemplateOptions): PodTemplate {
  const volumes: Array<Record<string, unknown>> = [];
  if (o.emptyDir) volumes.push({ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } });
  return {
    metadata: { labels: o.labels },
    spec: {
      ...(volumes.length ? { volumes } : {}),
      containers: o.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ...(c.port ? { ports: [{ name: 'http', containerPort: c.port, protocol: 'TCP' }] } : {}),
        env: [{ name: 'LOG_LEVEL', value: 'info' }],
        resources: {
          ...(c.limits ? { limits: { cpu: c.cpu, memory: c.memory } } : { limits: { memory: c.memory } }),
          requests: { cpu: c.cpu, memory: c.memory },
        },
        ...(c.port
          ? {
              readinessProbe: {
                httpGet: { path: '/healthz', port: c.port, scheme: 'HTTP' },
                timeoutSeconds: 1,
                periodSeconds: 10,
                successThreshold: 1,
                failureThreshold: 3,
              },
            }
          : {}),
        ...(o.emptyDir ? { volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] } : {}),
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      })),
      restartPolicy: o.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: o.terminationGracePeriodSeconds ?? 30,
      dnsPolicy: o.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      serviceAccountName: o.serviceAccountName ?? 'default',
      serviceAccount: o.serviceAccountName ?? 'default',
      ...(o.hostNetwork ? { hostNetwork: true } : {}),
      securityContext: {},
      schedulerName: 'default-scheduler',
      ...(o.tolerateEverything ? { tolerations: [{ operator: 'Exists' }] } : {}),
      ...(o.priorityClassName ? { priorityClassName: o.priorityClassName } : {}),
    },
  };
}

export interface PodPlacement {
  name: string;
  namespace: string;
  uid: string;
  generateName?: string;
  owner?: OwnerReference;
  nodeName?: string;
  hostIP?: string;
  podIP?: string;
  createdMs: number;
  annotations?: Record<string, string>;
}

export type PodState = 'Running' | 'Pending' | 'Unschedulable' | 'Succeeded' | 'Failed';

function serviceAccountVolume(random: Random): Record<string, unknown> {
  return {
    name: `kube-api-access-${random.nameSuffix()}`,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
      defaultMode: 420,
    },
  };
}

function condition(
  type: string,
  status: string,
  atMs: number,
  reason?: string,
  message?: string,
): Record<string, unknown> {
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: rfc3339(atMs),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** Pod status for a state; `atMs` is when the pod started (or was created, for Pending). */
export function podStatus(
  spec: PodTemplate['spec'],
  state: PodState,
  p: { hostIP?: string; podIP?: string; createdMs: number },
  random: Random,
  images?: Map<string, string>,
): Record<string, unknown> {
  const containers = spec.containers as Array<{ name: string; image: string; resources?: never }>;
  const qos = qosClass(spec.containers as never);
  const created = p.createdMs;
  const started = created + 2_000;
  if (state === 'Unschedulable') {
    return {
      phase: 'Pending',
      conditions: [
        condition(
          'PodScheduled',
          'False',
          created,
          'Unschedulable',
          "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        ),
      ],
      qosClass: qos,
    };
  }
  const ready = state === 'Running';
  const terminated = state === 'Succeeded' || state === 'Failed';
  const statuses = containers.map((c) => {
    const imageID = images?.get(c.image) ?? `${c.image.split(':')[0]}@sha256:${random.hex(64)}`;
    const containerID = `containerd://${random.hex(64)}`;
    const restartCount = ready && random.chance(0.08) ? random.range(1, 6) : 0;
    let st: Record<string, unknown>;
    if (state === 'Pending') st = { waiting: { reason: 'ContainerCreating' } };
    else if (terminated) {
      st = {
        terminated: {
          exitCode: state === 'Succeeded' ? 0 : 1,
          reason: state === 'Succeeded' ? 'Completed' : 'Error',
          startedAt: rfc3339(started),
          finishedAt: rfc3339(started + random.range(5_000, 600_000)),
          containerID,
        },
      };
    } else st = { running: { startedAt: rfc3339(started) } };
    return {
      name: c.name,
      state: st,
      lastState:
        restartCount > 0
          ? {
              terminated: {
                exitCode: 137,
                reason: 'OOMKilled',
                startedAt: rfc3339(created),
                finishedAt: rfc3339(started - 1_000),
                containerID: `containerd://${random.hex(64)}`,
              },
            }
          : {},
      ready,
      restartCount,
      image: c.image,
      imageID: state === 'Pending' ? '' : imageID,
      ...(state === 'Pending' ? {} : { containerID }),
      started: ready,
    };
  });
  const readyStatus = ready ? 'True' : 'False';
  const notReadyReason = terminated ? 'PodCompleted' : 'ContainersNotReady';
  const notReadyMessage = terminated
    ? undefined
    : `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`;
  return {
    phase: state,
    conditions: [
      condition('PodReadyToStartContainers', state === 'Pending' || terminated ? 'False' : 'True', started),
      condition('Initialized', 'True', created + 1_000, terminated ? 'PodCompleted' : undefined),
      condition(
        'Ready',
        readyStatus,
        started + 3_000,
        ready ? undefined : notReadyReason,
        ready ? undefined : notReadyMessage,
      ),
      condition(
        'ContainersReady',
        readyStatus,
        started + 3_000,
        ready ? undefined : notReadyReason,
        ready ? undefined : notReadyMessage,
      ),
      condition('PodScheduled', 'True', created),
    ],
    hostIP: p.hostIP,
    hostIPs: p.hostIP ? [{ ip: p.hostIP }] : undefined,
    ...(p.podIP ? { podIP: p.podIP, podIPs: [{ ip: p.podIP }] } : {}),
    startTime: rfc3339(created + 1_000),
    containerStatuses: statuses,
    qosClass: qos,
  };
}

export function podFromTemplate(
  template: PodTemplate,
  p: PodPlacement,
  state: PodState,
  random: Random,
  images?: Map<string, string>,
): KubeObject {
  // Shallow copies only: the result is serialized right away and never mutated in place.
  const saVolume = serviceAccountVolume(random);
  const spec: PodTemplate['spec'] = {
    ...template.spec,
    volumes: [...((template.spec.volumes as Array<Record<string, unknown>> | undefined) ?? []), saVolume],
    containers: template.spec.containers.map((c) => ({
      ...c,
      volumeMounts: [
        ...((c.volumeMounts as Array<Record<string, unknown>> | undefined) ?? []),
        { name: saVolume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
      ],
    })),
  };
  if (p.nodeName && state !== 'Unschedulable') spec.nodeName = p.nodeName;
  const tolerations = (spec.tolerations as unknown[] | undefined) ?? [];
  spec.tolerations = [...tolerations, ...DEFAULT_TOLERATIONS.map((t) => ({ ...t }))];
  spec.priority =
    spec.priorityClassName === 'system-node-critical'
      ? 2000001000
      : spec.priorityClassName === 'system-cluster-critical'
        ? 2000000000
        : 0;
  spec.enableServiceLinks = true;
  spec.preemptionPolicy = 'PreemptLowerPriority';
  const annotations = { ...template.metadata.annotations, ...p.annotations };
  return {
    metadata: {
      name: p.name,
      ...(p.generateName ? { generateName: p.generateName } : {}),
      namespace: p.namespace,
      uid: p.uid,
      creationTimestamp: rfc3339(p.createdMs),
      labels: { ...template.metadata.labels },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(p.owner ? { ownerReferences: [p.owner] } : {}),
    },
    spec,
    status: podStatus(spec, state, p, random, images),
  };
}

export function ownerRef(
  kind: 'ReplicaSet' | 'DaemonSet' | 'Job' | 'Node',
  name: string,
  uid: string,
): OwnerReference {
  return {
    apiVersion: kind === 'Node' ? 'v1' : kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    name,
    uid,
    controller: true,
    ...(kind === 'Node' ? {} : { blockOwnerDeletion: true }),
  };
}
