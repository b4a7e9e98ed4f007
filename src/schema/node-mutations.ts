import { CORDON_REASON_MAX } from '../drain/cordon-annotations.js';
import { cordonNode, uncordonNode } from '../resolvers/cordon.js';
import { NODE_EDIT_MAX_ENTRIES } from '../resolvers/node-edit-checks.js';
import { setNodeLabels, setNodeTaints } from '../resolvers/node-edits.js';
import { builder, MUTATION_RESULT_NULLABLE } from './builder.js';
import { NodeRef } from './node.js';

const args = (t: Parameters<Parameters<typeof builder.mutationField>[1]>[0]) => ({
  cluster: t.arg.string({
    description: 'A kubeconfig context the gateway serves; omitted = the default cluster',
  }),
  name: t.arg.string({ required: true, description: 'The node name' }),
});

builder.mutationField('cordonNode', (t) =>
  t.field({
    type: NodeRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Marks the node unschedulable (spec.unschedulable, a strategic-merge patch); idempotent. The same patch ' +
      'records the reason, the caller and the time in the annotations kube-node-gateway.io/cordon-reason, ' +
      "-cordoned-by and -cordoned-at (KubeNode.cordon), replacing an earlier cordon's record.",
    args: {
      ...args(t),
      reason: t.arg.string({
        description: `Why, for people (at most ${CORDON_REASON_MAX} characters, no control characters); omitted or empty = none`,
      }),
    },
    resolve: (_root, a, ctx, info) => cordonNode(ctx, a, info),
  }),
);

builder.mutationField('uncordonNode', (t) =>
  t.field({
    type: NodeRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Makes the node schedulable again and removes the cordon record (KubeNode.cordon) in the same patch; ' +
      'idempotent. CONFLICT while a drain of the node is active.',
    args: args(t),
    resolve: (_root, a, ctx, info) => uncordonNode(ctx, a, info),
  }),
);

const LabelInputRef = builder.inputType('LabelInput', {
  fields: (t) => ({
    key: t.string({ required: true, description: 'A qualified name, e.g. example.com/team' }),
    value: t.string({ required: true, description: 'At most 63 characters; may be empty' }),
  }),
});

const TaintInputRef = builder.inputType('TaintInput', {
  fields: (t) => ({
    key: t.string({ required: true, description: 'A qualified name, e.g. dedicated or example.com/gpu' }),
    value: t.string({ description: 'A label value; omitted or empty = none' }),
    effect: t.string({ required: true, description: 'NoSchedule, PreferNoSchedule or NoExecute' }),
  }),
});

const TaintKeyInputRef = builder.inputType('TaintKeyInput', {
  fields: (t) => ({
    key: t.string({ required: true }),
    effect: t.string({
      description: 'Omitted = the taints of this key with every effect (kubectl taint key-)',
    }),
  }),
});

const EDIT_RULES =
  `At most ${NODE_EDIT_MAX_ENTRIES} entries per list; a key named twice, or set and removed, is BAD_USER_INPUT. ` +
  'Keys under kubernetes.io and k8s.io are refused (Kubernetes manages them), except node-role.kubernetes.io/<role> ' +
  'and node.kubernetes.io/exclude-from-external-load-balancers and exclude-disruption.';

const resourceVersionArg = (t: Parameters<Parameters<typeof builder.mutationField>[1]>[0]) =>
  t.arg.string({
    description:
      'The KubeNode.resourceVersion the edit is based on: if the node has changed since, the edit is CONFLICT ' +
      "and nothing is written. Omitted = the version in the gateway's cache (which may itself be a moment behind).",
  });

builder.mutationField('setNodeLabels', (t) =>
  t.field({
    type: NodeRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Sets and removes node labels in one JSON merge patch carrying the resourceVersion (kubectl label, but ' +
      `never overwriting a change made meanwhile). Needs patch nodes. ${EDIT_RULES}`,
    args: {
      ...args(t),
      set: t.arg({ type: [LabelInputRef], description: 'Labels to add or change' }),
      remove: t.arg.stringList({ description: 'Label keys to remove (a missing one is no error)' }),
      resourceVersion: resourceVersionArg(t),
    },
    resolve: (_root, a, ctx, info) => setNodeLabels(ctx, a, info),
  }),
);

builder.mutationField('setNodeTaints', (t) =>
  t.field({
    type: NodeRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Adds, replaces and removes node taints in one JSON merge patch of the whole new list, computed from the ' +
      'node at resourceVersion (kubectl taint, but never overwriting a change made meanwhile). Needs patch nodes ' +
      `(and get nodes when the gateway's cache does not hold that version). ${EDIT_RULES}`,
    args: {
      ...args(t),
      set: t.arg({
        type: [TaintInputRef],
        description: 'Taints to add; one with the key and effect of an existing taint replaces its value',
      }),
      remove: t.arg({
        type: [TaintKeyInputRef],
        description: 'Taints to remove (a missing one is no error)',
      }),
      resourceVersion: resourceVersionArg(t),
    },
    resolve: (_root, a, ctx, info) => setNodeTaints(ctx, a, info),
  }),
);
