import { NODE_CHANGE_KINDS } from '../informers/node-changes.js';
import type { NodeEvent } from '../informers/node-event.js';
import { nodeChangeOf, subscribeNodeChanges } from '../resolvers/node-changes.js';
import { builder } from './builder.js';
import { NodeRef } from './node.js';

const NodeChangeKindEnum = builder.enumType('NodeChangeKind', {
  description:
    'What about a node changed. Heartbeats (timestamps, resourceVersion, images) are never events.',
  values: NODE_CHANGE_KINDS,
});

const NodeChangeTypeEnum = builder.enumType('NodeChangeType', {
  values: {
    ADDED: { description: 'A node appeared (changes: every kind)' },
    MODIFIED: { description: 'A node changed in the ways listed in `changes`' },
    DELETED: { description: 'A node is gone; `node` is its last known state' },
    RESYNC: {
      description:
        'Events were lost (the `since` cursor is older than the history, or from another gateway process): ' +
        "re-query nodes, then resubscribe with this event's cursor",
    },
    CLUSTER_REMOVED: {
      description:
        "The cluster's kubeconfig context was removed; a subscription to that cluster alone ends here",
    },
  } as const,
});

const NodeChangeEventRef = builder.objectRef<NodeEvent>('NodeChangeEvent').implement({
  fields: (t) => ({
    type: t.expose('type', { type: NodeChangeTypeEnum }),
    cluster: t.exposeString('cluster'),
    name: t.exposeString('name', {
      nullable: true,
      description: 'The node; null for RESYNC and CLUSTER_REMOVED',
    }),
    changes: t.field({ type: [NodeChangeKindEnum], resolve: (e) => e.changes }),
    node: t.field({
      type: NodeRef,
      nullable: true,
      description: 'The new state; for DELETED the last known state; null for RESYNC and CLUSTER_REMOVED',
      resolve: (e) => e.node,
    }),
    cursor: t.exposeString('cursor', {
      description: 'Pass as `since` when resubscribing to get the events after this one',
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When the gateway saw the change' }),
  }),
});

builder.subscriptionField('nodeChanged', (t) =>
  t.field({
    type: NodeChangeEventRef,
    description:
      "Meaningful node changes, pushed as the informer sees them. A slow reader's pending events for one node " +
      'are merged (newest state, union of kinds); a reader that still falls too far behind gets a ' +
      'SUBSCRIBER_TOO_SLOW error and the subscription ends.',
    args: {
      cluster: t.arg.string({
        description: 'One cluster; omitted (and no `clusters`) = the default cluster',
      }),
      clusters: t.arg.stringList({ description: 'Several clusters at once (instead of `cluster`)' }),
      names: t.arg.stringList({ description: 'Only these nodes' }),
      labelSelector: t.arg.string({
        description:
          'Only nodes matching it, before or after the change (so you hear when one stops matching)',
      }),
      kinds: t.arg({
        type: [NodeChangeKindEnum],
        description: 'Only events with at least one of these kinds (ADDED and DELETED carry every kind)',
      }),
      since: t.arg.string({
        description: 'The cursor of the last event you saw: replays what you missed, or sends one RESYNC',
      }),
    },
    subscribe: (_root, args, ctx, info) => subscribeNodeChanges(ctx, args, info),
    resolve: (item) => nodeChangeOf(item),
  }),
);
