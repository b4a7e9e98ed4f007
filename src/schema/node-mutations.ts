import { cordonNode, uncordonNode } from '../resolvers/cordon.js';
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
    description: 'Marks the node unschedulable (spec.unschedulable, a strategic-merge patch); idempotent',
    args: args(t),
    resolve: (_root, a, ctx, info) => cordonNode(ctx, a, info),
  }),
);

builder.mutationField('uncordonNode', (t) =>
  t.field({
    type: NodeRef,
    nullable: MUTATION_RESULT_NULLABLE,
    description:
      'Makes the node schedulable again; idempotent. CONFLICT while a drain of the node is active.',
    args: args(t),
    resolve: (_root, a, ctx, info) => uncordonNode(ctx, a, info),
  }),
);
