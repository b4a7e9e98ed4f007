import { builder } from './builder.js';

export const NodeFilterRef = builder.inputType('NodeFilter', {
  description: 'Node conditions; every field given must hold',
  fields: (t) => ({
    labelSelector: t.string({
      description: 'Kubernetes label selector, equality- and set-based: "zone=a,tier in (web,api),!spot"',
    }),
    ready: t.boolean({ description: 'Ready condition is True (true) or not (false)' }),
    schedulable: t.boolean({ description: 'Not cordoned (true) or cordoned (false)' }),
    role: t.string({ description: 'Has this role, e.g. control-plane, worker' }),
    taintKey: t.string({ description: 'Has a taint with this key, whatever its value and effect' }),
    nameContains: t.string({ description: 'Name contains this text (case-insensitive)' }),
  }),
});

export const NodeOrderFieldEnum = builder.enumType('NodeOrderField', {
  values: {
    NAME: { description: 'Node name' },
    CREATED_AT: { description: 'Creation time, then name' },
  } as const,
});

export const SortDirectionEnum = builder.enumType('SortDirection', {
  values: ['ASC', 'DESC'] as const,
});

export const NodeOrderRef = builder.inputType('NodeOrder', {
  fields: (t) => ({
    field: t.field({ type: NodeOrderFieldEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'ASC' }),
  }),
});
