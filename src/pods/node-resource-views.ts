import type { ResourceList } from '../informers/node-projection.js';
import type { NodeUsage } from './node-usage.js';
import type { NodeAllocation } from './pod-allocation-lister.js';
import {
  formatQuantity,
  milliValue,
  parseQuantity,
  type Quantity,
  unitValue,
  ZERO_QUANTITY,
} from './quantity.js';

/** One resource's amount on a node, and its share of what the node can allocate. */
export interface ResourceAmount {
  /** Canonical Kubernetes quantity, as kubectl prints it (e.g. 850m, 240Mi). */
  readonly quantity: string;
  /** The amount in the resource's unit: cores for cpu, bytes for memory and storage. */
  readonly value: number;
  /** Share of allocatable (0.25 = 25%); null when the node reports no such allocatable. */
  readonly fraction: number | null;
  /** The share as kubectl prints it: whole percent, truncated. */
  readonly percent: number | null;
}

export interface AllocatedResources {
  readonly cpu: ResourceAmount;
  readonly memory: ResourceAmount;
  readonly ephemeralStorage: ResourceAmount;
}

/** What `kubectl describe node` prints under "Allocated resources" (and "Non-terminated Pods"). */
export interface NodeAllocatedView {
  readonly requests: AllocatedResources;
  readonly limits: AllocatedResources;
  readonly pods: number;
  readonly podsFraction: number | null;
}

export interface NodeUsageView {
  readonly cpu: ResourceAmount;
  readonly memory: ResourceAmount;
  readonly window: string;
  readonly timestamp: string;
}

/** kubectl describe node: cpu compares MilliValue()s, other resources Value()s. */
type Scale = 'milli' | 'unit';

function amount(q: Quantity, allocatable: string | undefined, scale: Scale): ResourceAmount {
  const alloc = allocatable === undefined ? undefined : parseQuantity(allocatable);
  const of = scale === 'milli' ? milliValue : unitValue;
  const denominator = alloc ? of(alloc) : 0;
  // The same float expression as kubectl (float64(a) / float64(b) * 100), so percents agree.
  const fraction = denominator === 0 ? null : of(q) / denominator;
  return {
    quantity: formatQuantity(q),
    value: Number(q.nanos) / 1e9,
    fraction,
    percent: fraction === null ? null : Math.trunc(fraction * 100),
  };
}

function resources(list: ReadonlyMap<string, Quantity>, allocatable: ResourceList): AllocatedResources {
  const get = (name: string) => list.get(name) ?? ZERO_QUANTITY;
  return {
    cpu: amount(get('cpu'), allocatable.cpu, 'milli'),
    memory: amount(get('memory'), allocatable.memory, 'unit'),
    ephemeralStorage: amount(get('ephemeral-storage'), allocatable['ephemeral-storage'], 'unit'),
  };
}

const EMPTY: NodeAllocation = { requests: new Map(), limits: new Map() };

export function allocatedView(
  allocation: NodeAllocation | undefined,
  pods: number,
  allocatable: ResourceList,
): NodeAllocatedView {
  const sums = allocation ?? EMPTY;
  const maxPods = allocatable.pods === undefined ? undefined : parseQuantity(allocatable.pods);
  const podCapacity = maxPods ? unitValue(maxPods) : 0;
  return {
    requests: resources(sums.requests, allocatable),
    limits: resources(sums.limits, allocatable),
    pods,
    podsFraction: podCapacity === 0 ? null : pods / podCapacity,
  };
}

/** kubectl top node: both shares compare MilliValue()s against allocatable. */
export function usageView(usage: NodeUsage, allocatable: ResourceList): NodeUsageView {
  return {
    cpu: amount(usage.cpu, allocatable.cpu, 'milli'),
    memory: { ...amount(usage.memory, allocatable.memory, 'milli') },
    window: usage.window,
    timestamp: usage.timestamp,
  };
}
