import { loadPodCount, nodePodConnection } from '../resolvers/pods.js';
import { builder } from './builder.js';
import { NodeRef } from './node.js';
import { PodConnectionRef, PodPhaseEnum } from './pod.js';

/** The pod fields of Node. Pods are never cached: both read the API, at most once per request. */
builder.objectFields(NodeRef, (t) => ({
  podCount: t.int({
    nullable: true,
    description:
      'Pods on the node whose phase is neither Succeeded nor Failed. All counts of one request come from one ' +
      'cluster-wide LIST per cluster. Null, with an error for this path, when that LIST fails.',
    resolve: (node, _args, ctx, info) => loadPodCount(ctx, node, info),
  }),
  pods: t.field({
    type: PodConnectionRef,
    // Nullable like podCount: a failed pod LIST must null this field only, not the node and,
    // through the non-null list, every other node of the response.
    nullable: true,
    description:
      'The pods on this node, straight from the API (LIST with fieldSelector spec.nodeName); null with an error when that LIST fails',
    args: {
      namespace: t.arg.string({ description: 'Only this namespace' }),
      phase: t.arg({ type: PodPhaseEnum, description: 'Only pods in this phase' }),
      first: t.arg.int({ description: 'Page size; default and maximum: the gateway max page size' }),
      after: t.arg.string({ description: 'endCursor of the previous page' }),
    },
    resolve: (node, args, ctx) => nodePodConnection(ctx, node, args),
  }),
}));
