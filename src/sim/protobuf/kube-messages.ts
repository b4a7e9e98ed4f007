/**
 * Field tables for the Kubernetes messages a client may send the simulator as protobuf: the kinds that
 * client-go's generated (typed) clients write and the simulator serves. Numbers and names follow the
 * generated.proto files of k8s.io/api and k8s.io/apimachinery v0.32; `keepZero` marks fields whose Go JSON
 * tag has no omitempty or whose Go type is a pointer.
 */
import { rfc3339 } from '../kube-object.js';
import type { MessageType } from './message-decoder.js';
import { ProtoDecodeError } from './wire.js';

// metav1.Time marshals to RFC 3339 seconds; Go refuses years outside 0..9999, and so does Date here.
const MIN_TIME_MS = -62_135_596_800_000;
const MAX_TIME_MS = 253_402_300_799_000;

const Time: MessageType = {
  name: 'Time',
  fields: { 1: { name: 'seconds', type: 'int64' }, 2: { name: 'nanos', type: 'int32' } },
  toJson(decoded, size) {
    // An empty message is the zero time, which Go prints as null.
    if (size === 0) return null;
    const ms = Number(decoded.seconds ?? 0) * 1000;
    if (!(ms >= MIN_TIME_MS && ms <= MAX_TIME_MS)) {
      throw new ProtoDecodeError('Time.MarshalJSON: year outside of range [0,9999]');
    }
    return rfc3339(ms);
  },
};

const IntOrString: MessageType = {
  name: 'IntOrString',
  fields: {
    1: { name: 'type', type: 'int64' },
    2: { name: 'intVal', type: 'int32' },
    3: { name: 'strVal', type: 'string' },
  },
  toJson: (d) => (d.type === 1 ? (d.strVal ?? '') : (d.intVal ?? 0)),
};

const OwnerReference: MessageType = {
  name: 'OwnerReference',
  fields: {
    5: { name: 'apiVersion', type: 'string', keepZero: true },
    1: { name: 'kind', type: 'string', keepZero: true },
    3: { name: 'name', type: 'string', keepZero: true },
    4: { name: 'uid', type: 'string', keepZero: true },
    6: { name: 'controller', type: 'bool', keepZero: true },
    7: { name: 'blockOwnerDeletion', type: 'bool', keepZero: true },
  },
};

// managedFields (17) is left out on purpose: clients do not send it on create, and the simulator keeps none.
export const ObjectMeta: MessageType = {
  name: 'ObjectMeta',
  fields: {
    1: { name: 'name', type: 'string' },
    2: { name: 'generateName', type: 'string' },
    3: { name: 'namespace', type: 'string' },
    4: { name: 'selfLink', type: 'string' },
    5: { name: 'uid', type: 'string' },
    6: { name: 'resourceVersion', type: 'string' },
    7: { name: 'generation', type: 'int64' },
    8: { name: 'creationTimestamp', type: Time },
    9: { name: 'deletionTimestamp', type: Time },
    10: { name: 'deletionGracePeriodSeconds', type: 'int64', keepZero: true },
    11: { name: 'labels', type: { map: 'string' } },
    12: { name: 'annotations', type: { map: 'string' } },
    13: { name: 'ownerReferences', type: OwnerReference, repeated: true },
    14: { name: 'finalizers', type: 'string', repeated: true },
  },
};

const LabelSelectorRequirement: MessageType = {
  name: 'LabelSelectorRequirement',
  fields: {
    1: { name: 'key', type: 'string', keepZero: true },
    2: { name: 'operator', type: 'string', keepZero: true },
    3: { name: 'values', type: 'string', repeated: true },
  },
};

export const LabelSelector: MessageType = {
  name: 'LabelSelector',
  fields: {
    1: { name: 'matchLabels', type: { map: 'string' } },
    2: { name: 'matchExpressions', type: LabelSelectorRequirement, repeated: true },
  },
};

const Condition: MessageType = {
  name: 'Condition',
  fields: {
    1: { name: 'type', type: 'string', keepZero: true },
    2: { name: 'status', type: 'string', keepZero: true },
    3: { name: 'observedGeneration', type: 'int64' },
    4: { name: 'lastTransitionTime', type: Time },
    5: { name: 'reason', type: 'string', keepZero: true },
    6: { name: 'message', type: 'string', keepZero: true },
  },
};

const Preconditions: MessageType = {
  name: 'Preconditions',
  fields: {
    1: { name: 'uid', type: 'string', keepZero: true },
    2: { name: 'resourceVersion', type: 'string', keepZero: true },
  },
};

const DeleteOptions: MessageType = {
  name: 'DeleteOptions',
  fields: {
    1: { name: 'gracePeriodSeconds', type: 'int64', keepZero: true },
    2: { name: 'preconditions', type: Preconditions },
    3: { name: 'orphanDependents', type: 'bool', keepZero: true },
    4: { name: 'propagationPolicy', type: 'string', keepZero: true },
    5: { name: 'dryRun', type: 'string', repeated: true },
    6: { name: 'ignoreStoreReadErrorWithClusterBreakingPotential', type: 'bool', keepZero: true },
  },
};

const NamespaceCondition: MessageType = {
  name: 'NamespaceCondition',
  fields: {
    1: { name: 'type', type: 'string', keepZero: true },
    2: { name: 'status', type: 'string', keepZero: true },
    4: { name: 'lastTransitionTime', type: Time },
    5: { name: 'reason', type: 'string' },
    6: { name: 'message', type: 'string' },
  },
};

const Namespace: MessageType = {
  name: 'Namespace',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: {
      name: 'spec',
      type: { name: 'NamespaceSpec', fields: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
    },
    3: {
      name: 'status',
      type: {
        name: 'NamespaceStatus',
        fields: {
          1: { name: 'phase', type: 'string' },
          2: { name: 'conditions', type: NamespaceCondition, repeated: true },
        },
      },
    },
  },
};

const PodDisruptionBudgetSpec: MessageType = {
  name: 'PodDisruptionBudgetSpec',
  fields: {
    1: { name: 'minAvailable', type: IntOrString },
    2: { name: 'selector', type: LabelSelector },
    3: { name: 'maxUnavailable', type: IntOrString },
    4: { name: 'unhealthyPodEvictionPolicy', type: 'string', keepZero: true },
  },
};

const PodDisruptionBudgetStatus: MessageType = {
  name: 'PodDisruptionBudgetStatus',
  fields: {
    1: { name: 'observedGeneration', type: 'int64' },
    2: { name: 'disruptedPods', type: { map: Time } },
    3: { name: 'disruptionsAllowed', type: 'int32', keepZero: true },
    4: { name: 'currentHealthy', type: 'int32', keepZero: true },
    5: { name: 'desiredHealthy', type: 'int32', keepZero: true },
    6: { name: 'expectedPods', type: 'int32', keepZero: true },
    7: { name: 'conditions', type: Condition, repeated: true },
  },
};

const PodDisruptionBudget: MessageType = {
  name: 'PodDisruptionBudget',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'spec', type: PodDisruptionBudgetSpec },
    3: { name: 'status', type: PodDisruptionBudgetStatus },
  },
};

const Eviction: MessageType = {
  name: 'Eviction',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'deleteOptions', type: DeleteOptions },
  },
};

/** The top-level kinds the simulator decodes from protobuf. Kinds are unique across their groups. */
export const PROTOBUF_KINDS: ReadonlyMap<string, MessageType> = new Map([
  ['Namespace', Namespace],
  ['PodDisruptionBudget', PodDisruptionBudget],
  ['Eviction', Eviction],
  ['DeleteOptions', DeleteOptions],
]);
