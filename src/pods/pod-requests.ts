import { addQuantity, maxQuantity, parseQuantity, type Quantity } from './quantity.js';

/** Resource name -> quantity, e.g. cpu -> 250m. */
export type ResourceQuantities = Map<string, Quantity>;

type WireResources = Readonly<Record<string, string>>;

interface WireContainer {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: WireResources; limits?: WireResources };
}

/** The parts of a wire Pod that its requests and limits are computed from. */
export interface PodResourceSpec {
  spec?: {
    containers?: readonly WireContainer[];
    initContainers?: readonly WireContainer[];
    overhead?: WireResources;
  };
  status?: {
    resize?: string;
    containerStatuses?: readonly { name?: string; allocatedResources?: WireResources }[];
  };
}

/**
 * A pod's total requests and limits as `kubectl describe node` adds them up
 * (k8s.io/kubectl/pkg/util/resource PodRequestsAndLimits): the containers' sum (requests raised to
 * what the kubelet allocated during an in-place resize), then the larger of that and each init
 * container, where restartable (sidecar) init containers run beside the containers and so add to
 * both; plus the pod overhead (on limits only for resources that have a limit).
 */
export function podRequestsAndLimits(pod: PodResourceSpec): {
  requests: ResourceQuantities;
  limits: ResourceQuantities;
} {
  return { requests: podRequests(pod), limits: podLimits(pod) };
}

function podRequests(pod: PodResourceSpec): ResourceQuantities {
  const reqs: ResourceQuantities = new Map();
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  for (const container of pod.spec?.containers ?? []) {
    let containerReqs = parseList(container.resources?.requests);
    const allocated = statuses.get(container.name)?.allocatedResources;
    if (allocated) {
      const allocatedList = parseList(allocated);
      if (pod.status?.resize === 'Infeasible') containerReqs = allocatedList;
      else maxInto(containerReqs, allocatedList);
    }
    addInto(reqs, containerReqs);
  }
  addInitContainers(reqs, pod, (c) => c.resources?.requests);
  if (pod.spec?.overhead) addInto(reqs, parseList(pod.spec.overhead));
  return reqs;
}

function podLimits(pod: PodResourceSpec): ResourceQuantities {
  const limits: ResourceQuantities = new Map();
  for (const container of pod.spec?.containers ?? []) addInto(limits, parseList(container.resources?.limits));
  addInitContainers(limits, pod, (c) => c.resources?.limits);
  for (const [name, quantity] of parseList(pod.spec?.overhead)) {
    const limit = limits.get(name);
    if (limit) limits.set(name, addQuantity(limit, quantity));
  }
  return limits;
}

function addInitContainers(
  total: ResourceQuantities,
  pod: PodResourceSpec,
  listOf: (c: WireContainer) => WireResources | undefined,
): void {
  const restartable: ResourceQuantities = new Map();
  const init: ResourceQuantities = new Map();
  for (const container of pod.spec?.initContainers ?? []) {
    const own = parseList(listOf(container));
    let effective: ResourceQuantities;
    if (container.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(restartable, own);
      effective = restartable;
    } else {
      effective = new Map();
      addInto(effective, own);
      addInto(effective, restartable);
    }
    maxInto(init, effective);
  }
  maxInto(total, init);
}

/**
 * Parsed quantities by their text: a cluster's pods repeat a few hundred distinct values ("100m",
 * "128Mi"), and parsing is most of the per-pod cost of a 100,000-pod chain. Bounded.
 */
const parsed = new Map<string, Quantity | null>();
const MAX_PARSED = 4096;

function parseCached(text: string): Quantity | undefined {
  let quantity = parsed.get(text);
  if (quantity === undefined) {
    quantity = parseQuantity(text) ?? null;
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(text, quantity);
  }
  return quantity ?? undefined;
}

function parseList(list: WireResources | undefined): ResourceQuantities {
  const out: ResourceQuantities = new Map();
  if (!list || typeof list !== 'object') return out;
  for (const name of Object.keys(list)) {
    const value = list[name];
    const quantity = typeof value === 'string' && value.length <= 64 ? parseCached(value) : undefined;
    if (quantity) out.set(name, quantity);
  }
  return out;
}

/** addResourceList: sums into `list`. */
export function addInto(list: ResourceQuantities, add: ReadonlyMap<string, Quantity>): void {
  for (const [name, quantity] of add) {
    const have = list.get(name);
    list.set(name, have ? addQuantity(have, quantity) : quantity);
  }
}

/** maxResourceList: raises each of `list` to `other`'s where that is larger. */
function maxInto(list: ResourceQuantities, other: ReadonlyMap<string, Quantity>): void {
  for (const [name, quantity] of other) {
    const have = list.get(name);
    list.set(name, have ? maxQuantity(have, quantity) : quantity);
  }
}
