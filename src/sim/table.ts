/**
 * Server-side printing (meta.k8s.io/v1 Table), what `kubectl get` asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns and cell formats follow the apiserver's
 * printers (pkg/printers/internalversion), so kubectl prints its usual NAME STATUS ROLES AGE VERSION.
 */
import { eventPrinter } from './event-table.js';
import type { KubeObject } from './kube-object.js';
import type { ServedResource } from './resources.js';
import type { StoredObject } from './store.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

type Cell = string | number;

const NAME_COLUMN: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};
const AGE_COLUMN: ColumnDefinition = {
  name: 'Age',
  type: 'string',
  format: '',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

const col = (name: string, description: string, priority = 0, type = 'string'): ColumnDefinition => ({
  name,
  type,
  format: '',
  description,
  priority,
});

/** duration.HumanDuration from k8s.io/apimachinery. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(o: KubeObject, now: number): string {
  const ts = o.metadata?.creationTimestamp;
  return ts ? humanDuration(now - Date.parse(ts)) : '<unknown>';
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

interface Printer {
  columns: ColumnDefinition[];
  cells(o: KubeObject, now: number): Cell[];
}

const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE_COLUMN,
    col('Version', 'Kubelet Version reported by the node.'),
    col(
      'Internal-IP',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    col(
      'External-IP',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    col(
      'OS-Image',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      1,
    ),
    col(
      'Kernel-Version',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      1,
    ),
    col(
      'Container-Runtime',
      'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      1,
    ),
  ],
  cells(o, now) {
    const status = asObj(o.status);
    const spec = asObj(o.spec);
    const conditions = asArr(status.conditions);
    const ready = conditions.find((c) => c.type === 'Ready');
    const states: string[] = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
    if (spec.unschedulable === true) states.push('SchedulingDisabled');
    const roles = new Set<string>();
    for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) {
      if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
      else if (k === 'kubernetes.io/role' && v) roles.add(v);
    }
    const addresses = asArr(status.addresses);
    const addr = (type: string): string =>
      String(addresses.find((a) => a.type === type)?.address ?? '<none>');
    const info = asObj(status.nodeInfo);
    return [
      o.metadata?.name ?? '',
      states.join(','),
      roles.size ? [...roles].sort().join(',') : '<none>',
      age(o, now),
      String(info.kubeletVersion ?? ''),
      addr('InternalIP'),
      addr('ExternalIP'),
      String(info.osImage || '<unknown>'),
      String(info.kernelVersion || '<unknown>'),
      String(info.containerRuntimeVersion || '<unknown>'),
    ];
  },
};

/** The STATUS column logic of printPod. */
function podReason(o: KubeObject): {
  reason: string;
  ready: number;
  total: number;
  restarts: number;
  lastRestartMs: number;
} {
  const status = asObj(o.status);
  const spec = asObj(o.spec);
  const statuses = asArr(status.containerStatuses);
  let reason = String(status.reason || status.phase || '');
  let ready = 0;
  let restarts = 0;
  let lastRestartMs = 0;
  const total = asArr(spec.containers).length;
  let initializing = false;
  for (const [i, c] of asArr(status.initContainerStatuses).entries()) {
    const st = asObj(c.state);
    const term = asObj(st.terminated);
    const waiting = asObj(st.waiting);
    restarts += Number(c.restartCount ?? 0);
    if (st.terminated && term.exitCode === 0) continue;
    if (st.terminated)
      reason = term.reason ? `Init:${String(term.reason)}` : `Init:ExitCode:${String(term.exitCode)}`;
    else if (waiting.reason && waiting.reason !== 'PodInitializing')
      reason = `Init:${String(waiting.reason)}`;
    else reason = `Init:${i}/${asArr(spec.initContainers).length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...statuses].reverse()) {
      const st = asObj(c.state);
      const term = asObj(st.terminated);
      const waiting = asObj(st.waiting);
      restarts += Number(c.restartCount ?? 0);
      const lastTerm = asObj(asObj(c.lastState).terminated);
      if (lastTerm.finishedAt)
        lastRestartMs = Math.max(lastRestartMs, Date.parse(String(lastTerm.finishedAt)));
      if (waiting.reason) reason = String(waiting.reason);
      else if (st.terminated && term.reason) reason = String(term.reason);
      else if (st.terminated)
        reason = term.signal ? `Signal:${String(term.signal)}` : `ExitCode:${String(term.exitCode)}`;
      else if (st.running && c.ready === true) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = asArr(status.conditions).find((c) => c.type === 'Ready');
      reason = readyCond?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  if (o.metadata?.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { reason, ready, total, restarts, lastRestartMs };
}

const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE_COLUMN,
    col(
      'IP',
      'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      1,
    ),
    col('Node', 'NodeName is a request to schedule this pod onto a specific node.', 1),
    col(
      'Nominated Node',
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
      1,
    ),
    col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(o, now) {
    const r = podReason(o);
    const status = asObj(o.status);
    const spec = asObj(o.spec);
    const restarts =
      r.lastRestartMs > 0
        ? `${r.restarts} (${humanDuration(now - r.lastRestartMs)} ago)`
        : String(r.restarts);
    const gates = asArr(spec.readinessGates);
    return [
      o.metadata?.name ?? '',
      `${r.ready}/${r.total}`,
      r.reason,
      restarts,
      age(o, now),
      String(status.podIP || '<none>'),
      String(spec.nodeName || '<none>'),
      String(status.nominatedNodeName || '<none>'),
      gates.length ? `0/${gates.length}` : '<none>',
    ];
  },
};

const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, col('Status', 'The status of the namespace'), AGE_COLUMN],
  cells: (o, now) => [o.metadata?.name ?? '', String(asObj(o.status).phase ?? ''), age(o, now)],
};

const selectorString = (sel: unknown): string => {
  const s = asObj(sel);
  const parts = Object.entries(asObj(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of asArr(s.matchExpressions))
    parts.push(`${String(e.key)} ${String(e.operator)} (${asArr(e.values).join(',')})`);
  return parts.length ? parts.join(',') : '<none>';
};

const containersAndImages = (o: KubeObject): [string, string] => {
  const containers = asArr(asObj(asObj(asObj(o.spec).template).spec).containers);
  return [containers.map((c) => String(c.name)).join(','), containers.map((c) => String(c.image)).join(',')];
};

const daemonSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'The desired number of nodes that should be running the daemon pod.', 0, 'integer'),
    col('Current', 'The number of nodes that are running at least 1 daemon pod.', 0, 'integer'),
    col(
      'Ready',
      'The number of nodes that should be running the daemon pod and have one or more ready.',
      0,
      'integer',
    ),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', 0, 'integer'),
    col(
      'Available',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
      0,
      'integer',
    ),
    col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE_COLUMN,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col('Selector', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  cells(o, now) {
    const s = asObj(o.status);
    const nodeSelector = Object.entries(asObj(asObj(asObj(asObj(o.spec).template).spec).nodeSelector))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
    const [containers, images] = containersAndImages(o);
    return [
      o.metadata?.name ?? '',
      Number(s.desiredNumberScheduled ?? 0),
      Number(s.currentNumberScheduled ?? 0),
      Number(s.numberReady ?? 0),
      Number(s.updatedNumberScheduled ?? 0),
      Number(s.numberAvailable ?? 0),
      nodeSelector || '<none>',
      age(o, now),
      containers,
      images,
      selectorString(asObj(o.spec).selector),
    ];
  },
};

const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'Number of desired pods.', 0, 'integer'),
    col('Current', 'Number of actual replicas.', 0, 'integer'),
    col('Ready', 'The number of ready replicas for this replica set.', 0, 'integer'),
    AGE_COLUMN,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col('Selector', 'Selector is a label query over pods that should match the replica count.', 1),
  ],
  cells(o, now) {
    const s = asObj(o.status);
    const [containers, images] = containersAndImages(o);
    return [
      o.metadata?.name ?? '',
      Number(asObj(o.spec).replicas ?? 1),
      Number(s.replicas ?? 0),
      Number(s.readyReplicas ?? 0),
      age(o, now),
      containers,
      images,
      selectorString(asObj(o.spec).selector),
    ];
  },
};

const pdbPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col(
      'Min Available',
      'The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".',
    ),
    col(
      'Max Unavailable',
      'The maximum number of pods that may be unavailable simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".',
    ),
    col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', 0, 'integer'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const spec = asObj(o.spec);
    return [
      o.metadata?.name ?? '',
      spec.minAvailable === undefined ? 'N/A' : String(spec.minAvailable),
      spec.maxUnavailable === undefined ? 'N/A' : String(spec.maxUnavailable),
      Number(asObj(o.status).disruptionsAllowed ?? 0),
      age(o, now),
    ];
  },
};

const CREATED_AT_COLUMN: ColumnDefinition = { ...AGE_COLUMN, name: 'Created At', type: 'date' };

const rolePrinter: Printer = {
  columns: [NAME_COLUMN, CREATED_AT_COLUMN],
  cells: (o) => [o.metadata?.name ?? '', String(o.metadata?.creationTimestamp ?? '')],
};

interface BindingSubject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** printRoleBinding: Role is `Kind/name`; users, groups and service accounts (ns:name) in wide output. */
const bindingPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Role', 'Role'),
    AGE_COLUMN,
    col('Users', 'Users in the roleBinding', 1),
    col('Groups', 'Groups in the roleBinding', 1),
    col('ServiceAccounts', 'ServiceAccounts in the roleBinding', 1),
  ],
  cells(o, now) {
    const ref = asObj(o.roleRef);
    const subjects = (Array.isArray(o.subjects) ? o.subjects : []) as BindingSubject[];
    const names = (kind: string): string =>
      subjects
        .filter((s) => s.kind === kind)
        .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}:${s.name ?? ''}` : (s.name ?? '')))
        .join(', ');
    return [
      o.metadata?.name ?? '',
      `${String(ref.kind ?? '')}/${String(ref.name ?? '')}`,
      age(o, now),
      names('User'),
      names('Group'),
      names('ServiceAccount'),
    ];
  },
};

const count = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0);

/** printServiceAccount: the number of (legacy) token secrets listed. */
const serviceAccountPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col(
      'Secrets',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      0,
      'integer',
    ),
    AGE_COLUMN,
  ],
  cells: (o, now) => [o.metadata?.name ?? '', asArr(o.secrets).length, age(o, now)],
};

const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'The type of the secret'),
    col('Data', 'The number of entries stored in the secret', 0, 'integer'),
    AGE_COLUMN,
  ],
  cells: (o, now) => [o.metadata?.name ?? '', String(o.type ?? ''), count(o.data), age(o, now)],
};

const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, col('Data', 'Number of data in configmap', 0, 'integer'), AGE_COLUMN],
  cells: (o, now) => [o.metadata?.name ?? '', count(o.data) + count(o.binaryData), age(o, now)],
};

/** printService: EXTERNAL-IP and PORT(S) as kubectl shows them (`80/TCP`, `80:30080/TCP`). */
const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Type', 'The type of the service'),
    col('Cluster-IP', 'The IP address of the service'),
    col('External-IP', 'The external IP address of the service'),
    col('Port(s)', 'The ports on the service'),
    AGE_COLUMN,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector', 1),
  ],
  cells(o, now) {
    const spec = asObj(o.spec);
    const type = String(spec.type ?? 'ClusterIP');
    const externalIPs = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
    const ingress = asArr(asObj(asObj(o.status).loadBalancer).ingress).map((i) =>
      String(i.ip ?? i.hostname ?? ''),
    );
    let external: string;
    if (type === 'ExternalName') external = String(spec.externalName ?? '');
    else if (type === 'LoadBalancer') {
      const all = [...ingress, ...externalIPs];
      external = all.length ? all.join(',') : '<pending>';
    } else external = externalIPs.length ? externalIPs.join(',') : '<none>';
    const ports = asArr(spec.ports)
      .map(
        (p) =>
          `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`,
      )
      .join(',');
    const selector = Object.entries(asObj(spec.selector))
      .map(([k, v]) => `${k}=${String(v)}`)
      .sort()
      .join(',');
    return [
      o.metadata?.name ?? '',
      type,
      String(spec.clusterIP || '<none>'),
      external,
      ports || '<none>',
      age(o, now),
      selector || '<none>',
    ];
  },
};

const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      0,
      'integer',
    ),
    col(
      'Available',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      0,
      'integer',
    ),
    AGE_COLUMN,
    col('Containers', 'Names of each container in the template.', 1),
    col('Images', 'Images referenced by each container in the template.', 1),
    col(
      'Selector',
      'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      1,
    ),
  ],
  cells(o, now) {
    const s = asObj(o.status);
    const [containers, images] = containersAndImages(o);
    return [
      o.metadata?.name ?? '',
      `${Number(s.readyReplicas ?? 0)}/${Number(asObj(o.spec).replicas ?? 1)}`,
      Number(s.updatedReplicas ?? 0),
      Number(s.availableReplicas ?? 0),
      age(o, now),
      containers,
      images,
      selectorString(asObj(o.spec).selector),
    ];
  },
};

/** printNetworkPolicy: its pod selector, `<none>` when it selects every pod. */
const networkPolicyPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'),
    AGE_COLUMN,
  ],
  cells: (o, now) => [
    o.metadata?.name ?? '',
    selectorString(asObj(o.spec).podSelector) || '<none>',
    age(o, now),
  ],
};

const PRINTERS: Record<ServedResource, Printer> = {
  roles: rolePrinter,
  clusterroles: rolePrinter,
  rolebindings: bindingPrinter,
  clusterrolebindings: bindingPrinter,
  nodes: nodePrinter,
  pods: podPrinter,
  namespaces: namespacePrinter,
  daemonsets: daemonSetPrinter,
  replicasets: replicaSetPrinter,
  poddisruptionbudgets: pdbPrinter,
  serviceaccounts: serviceAccountPrinter,
  secrets: secretPrinter,
  configmaps: configMapPrinter,
  services: servicePrinter,
  deployments: deploymentPrinter,
  networkpolicies: networkPolicyPrinter,
  events: eventPrinter,
};

function rowObject(o: StoredObject, parsed: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object')
    return JSON.parse(
      `{"kind":"${o.type.kind}","apiVersion":"${o.type.group ? `${o.type.group}/` : ''}${o.type.version}",${o.json.slice(1)}`,
    );
  const { managedFields: _m, ...metadata } = parsed.metadata ?? {};
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

/** A Table of `objects`; list metadata (resourceVersion, continue, remainingItemCount) is the caller's. */
export function renderTable(
  resource: ServedResource,
  objects: readonly StoredObject[],
  listMeta: Record<string, unknown>,
  include: IncludeObject,
  now = Date.now(),
  withColumns = true,
): string {
  const printer = PRINTERS[resource];
  const rows = objects.map((o) => {
    const parsed = JSON.parse(o.json) as KubeObject;
    const object = rowObject(o, parsed, include);
    return { cells: printer.cells(parsed, now), ...(object ? { object } : {}) };
  });
  return JSON.stringify({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(withColumns ? { columnDefinitions: printer.columns } : {}),
    rows,
  });
}
