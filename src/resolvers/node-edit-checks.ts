import { cordonReasonProblem } from '../drain/cordon-annotations.js';
import type { LabelEdit, TaintEdit } from '../drain/node-edits.js';
import { checkedName } from './argument-checks.js';
import { gatewayError, quoteInput } from './graphql-errors.js';

/**
 * What setNodeLabels, setNodeTaints and cordonNode accept, checked before any API call: keys,
 * values and effects as the apiserver validates them (src/clusters/kube-names.ts), plus the
 * gateway's own rules below. Each refusal is BAD_USER_INPUT naming the argument and the rule.
 */

/** Most entries one edit may name: a node has tens of labels, not thousands. */
export const NODE_EDIT_MAX_ENTRIES = 100;

/**
 * Keys under kubernetes.io and k8s.io (and their subdomains) belong to Kubernetes: the kubelet,
 * the cloud provider and the node lifecycle controller write them (kubernetes.io/hostname,
 * topology.kubernetes.io/zone, node.kubernetes.io/instance-type, the not-ready and unreachable
 * taints), the scheduler and workloads' affinities rely on them, and the kubelet rewrites some
 * on restart. kubectl lets anyone with `patch nodes` change them; a portal button should not, so
 * the gateway refuses them (use kubectl for the rare deliberate case). Except what people do set:
 * node-role.kubernetes.io/<role> labels and taints (roles, dedicated control planes), and the
 * two node.kubernetes.io labels documented for administrators.
 */
const RESERVED_DOMAINS = ['kubernetes.io', 'k8s.io'];
const USER_PREFIXES = ['node-role.kubernetes.io/'];
const USER_KEYS = new Set([
  'node.kubernetes.io/exclude-from-external-load-balancers',
  'node.kubernetes.io/exclude-disruption',
]);

export function isReservedKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash).toLowerCase();
  if (!RESERVED_DOMAINS.some((d) => prefix === d || prefix.endsWith(`.${d}`))) return false;
  return !USER_PREFIXES.some((p) => key.startsWith(p)) && !USER_KEYS.has(key);
}

function refuse(argument: string, rule: string, message: string): never {
  throw gatewayError('BAD_USER_INPUT', `${argument}: ${message}`, { argument, rule });
}

function checkedKey(kind: 'labelKey' | 'taintKey', argument: string, key: string): void {
  checkedName(kind, argument, key);
  if (isReservedKey(key)) {
    refuse(
      argument,
      'ReservedPrefix',
      `${quoteInput(key)} is managed by Kubernetes (kubernetes.io and k8s.io prefixes); the gateway lets people set only node-role.kubernetes.io/ keys there`,
    );
  }
}

function checkedCount(argument: string, list: readonly unknown[]): void {
  if (list.length > NODE_EDIT_MAX_ENTRIES) {
    refuse(argument, 'MaxItems', `at most ${NODE_EDIT_MAX_ENTRIES} entries, got ${list.length}`);
  }
}

function checkedNotEmpty(argument: string, edit: { set: readonly unknown[]; remove: readonly unknown[] }) {
  if (edit.set.length === 0 && edit.remove.length === 0) {
    refuse(argument, 'NothingToChange', 'name at least one entry to set or remove');
  }
}

/** setNodeLabels' `set` and `remove`: valid keys and values, each key named once. */
export function checkedLabelEdit(edit: LabelEdit): LabelEdit {
  checkedCount('set', edit.set);
  checkedCount('remove', edit.remove);
  checkedNotEmpty('set', edit);
  const seen = new Set<string>();
  edit.set.forEach(({ key, value }, i) => {
    checkedKey('labelKey', `set[${i}].key`, key);
    checkedName('labelValue', `set[${i}].value`, value);
    if (seen.has(key)) refuse(`set[${i}].key`, 'Duplicate', `${quoteInput(key)} is named twice`);
    seen.add(key);
  });
  edit.remove.forEach((key, i) => {
    checkedKey('labelKey', `remove[${i}]`, key);
    if (seen.has(key)) refuse(`remove[${i}]`, 'Duplicate', `${quoteInput(key)} is both set and removed`);
    seen.add(key);
  });
  return edit;
}

/** setNodeTaints' `set` and `remove`: valid keys, values and effects, no key and effect named twice. */
export function checkedTaintEdit(edit: TaintEdit): TaintEdit {
  checkedCount('set', edit.set);
  checkedCount('remove', edit.remove);
  checkedNotEmpty('set', edit);
  const seen = new Set<string>();
  edit.set.forEach(({ key, value, effect }, i) => {
    checkedKey('taintKey', `set[${i}].key`, key);
    if (value !== null) checkedName('taintValue', `set[${i}].value`, value);
    checkedName('taintEffect', `set[${i}].effect`, effect);
    const id = `${key}:${effect}`;
    if (seen.has(id)) refuse(`set[${i}]`, 'Duplicate', `${quoteInput(id)} is named twice (key and effect)`);
    seen.add(id);
  });
  edit.remove.forEach(({ key, effect }, i) => {
    checkedKey('taintKey', `remove[${i}].key`, key);
    if (effect !== null) checkedName('taintEffect', `remove[${i}].effect`, effect);
    const clash = [...seen].some(
      (s) => s.startsWith(`${key}:`) && (effect === null || s === `${key}:${effect}`),
    );
    if (clash) refuse(`remove[${i}]`, 'Duplicate', `${quoteInput(key)} is both set and removed`);
  });
  return edit;
}

/** An opaque resourceVersion as the API writes them; bounded so it is never a 10 KB string. */
const RESOURCE_VERSION = /^[\x21-\x7e]{1,64}$/;

export function checkedResourceVersion(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!RESOURCE_VERSION.test(value)) {
    refuse(
      'resourceVersion',
      'ResourceVersion',
      `${quoteInput(value)} is not a resourceVersion (1 to 64 printable characters, as KubeNode.resourceVersion gives it)`,
    );
  }
  return value;
}

/** cordonNode's `reason`: empty = none; else bounded, one line of printable text. */
export function checkedCordonReason(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined || reason === '') return null;
  const problem = cordonReasonProblem(reason);
  if (problem) refuse('reason', 'CordonReason', `${quoteInput(reason)} ${problem}`);
  return reason;
}
