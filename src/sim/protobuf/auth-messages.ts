/**
 * Field tables for rbac.authorization.k8s.io/v1, authorization.k8s.io/v1 and authentication.k8s.io/v1
 * (k8s.io/api v0.32 generated.proto): what kubectl create clusterrole|rolebinding ..., kubectl auth can-i
 * and client-go's typed review clients send as protobuf. `keepZero` as in kube-messages.ts.
 */
import type { JsonValue } from '../kube-object.js';
import { LabelSelector, ObjectMeta } from './kube-messages.js';
import type { MessageType } from './message-decoder.js';

const PolicyRule: MessageType = {
  name: 'PolicyRule',
  fields: {
    1: { name: 'verbs', type: 'string', repeated: true, keepZero: true },
    2: { name: 'apiGroups', type: 'string', repeated: true },
    3: { name: 'resources', type: 'string', repeated: true },
    4: { name: 'resourceNames', type: 'string', repeated: true },
    5: { name: 'nonResourceURLs', type: 'string', repeated: true },
  },
};

const Subject: MessageType = {
  name: 'Subject',
  fields: {
    1: { name: 'kind', type: 'string', keepZero: true },
    2: { name: 'apiGroup', type: 'string' },
    3: { name: 'name', type: 'string', keepZero: true },
    4: { name: 'namespace', type: 'string' },
  },
};

const RoleRef: MessageType = {
  name: 'RoleRef',
  fields: {
    1: { name: 'apiGroup', type: 'string', keepZero: true },
    2: { name: 'kind', type: 'string', keepZero: true },
    3: { name: 'name', type: 'string', keepZero: true },
  },
};

const Role: MessageType = {
  name: 'Role',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'rules', type: PolicyRule, repeated: true, keepZero: true },
  },
};

const ClusterRole: MessageType = {
  name: 'ClusterRole',
  fields: {
    ...Role.fields,
    3: {
      name: 'aggregationRule',
      type: {
        name: 'AggregationRule',
        fields: { 1: { name: 'clusterRoleSelectors', type: LabelSelector, repeated: true } },
      },
    },
  },
};

const RoleBinding: MessageType = {
  name: 'RoleBinding',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'subjects', type: Subject, repeated: true },
    3: { name: 'roleRef', type: RoleRef, keepZero: true },
  },
};

const SelectorAttributes = (name: string): MessageType => ({
  name,
  fields: {
    1: { name: 'rawSelector', type: 'string' },
    2: {
      name: 'requirements',
      type: {
        name: 'Requirement',
        fields: {
          1: { name: 'key', type: 'string', keepZero: true },
          2: { name: 'operator', type: 'string', keepZero: true },
          3: { name: 'values', type: 'string', repeated: true },
        },
      },
      repeated: true,
    },
  },
});

const ResourceAttributes: MessageType = {
  name: 'ResourceAttributes',
  fields: {
    1: { name: 'namespace', type: 'string' },
    2: { name: 'verb', type: 'string' },
    3: { name: 'group', type: 'string' },
    4: { name: 'version', type: 'string' },
    5: { name: 'resource', type: 'string' },
    6: { name: 'subresource', type: 'string' },
    7: { name: 'name', type: 'string' },
    8: { name: 'fieldSelector', type: SelectorAttributes('FieldSelectorAttributes') },
    9: { name: 'labelSelector', type: SelectorAttributes('LabelSelectorAttributes') },
  },
};

const NonResourceAttributes: MessageType = {
  name: 'NonResourceAttributes',
  fields: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } },
};

// ExtraValue is a []string in Go, so its JSON form is the bare array.
const ExtraValue: MessageType = {
  name: 'ExtraValue',
  fields: { 1: { name: 'items', type: 'string', repeated: true } },
  toJson: (d) => (d.items ?? []) as JsonValue,
};

const SubjectAccessReviewStatus: MessageType = {
  name: 'SubjectAccessReviewStatus',
  fields: {
    1: { name: 'allowed', type: 'bool', keepZero: true },
    4: { name: 'denied', type: 'bool' },
    2: { name: 'reason', type: 'string' },
    3: { name: 'evaluationError', type: 'string' },
  },
};

const review = (name: string, spec: MessageType): MessageType => ({
  name,
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: { name: 'spec', type: spec, keepZero: true },
    3: { name: 'status', type: SubjectAccessReviewStatus },
  },
});

const SubjectAccessReviewSpec: MessageType = {
  name: 'SubjectAccessReviewSpec',
  fields: {
    1: { name: 'resourceAttributes', type: ResourceAttributes },
    2: { name: 'nonResourceAttributes', type: NonResourceAttributes },
    3: { name: 'user', type: 'string' },
    4: { name: 'groups', type: 'string', repeated: true },
    5: { name: 'extra', type: { map: ExtraValue } },
    6: { name: 'uid', type: 'string' },
  },
};

const SelfSubjectAccessReviewSpec: MessageType = {
  name: 'SelfSubjectAccessReviewSpec',
  fields: {
    1: { name: 'resourceAttributes', type: ResourceAttributes },
    2: { name: 'nonResourceAttributes', type: NonResourceAttributes },
  },
};

const SelfSubjectRulesReview: MessageType = {
  name: 'SelfSubjectRulesReview',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: {
      name: 'spec',
      type: { name: 'SelfSubjectRulesReviewSpec', fields: { 1: { name: 'namespace', type: 'string' } } },
      keepZero: true,
    },
  },
};

const TokenReview: MessageType = {
  name: 'TokenReview',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: {
      name: 'spec',
      type: {
        name: 'TokenReviewSpec',
        fields: {
          1: { name: 'token', type: 'string' },
          2: { name: 'audiences', type: 'string', repeated: true },
        },
      },
      keepZero: true,
    },
  },
};

// kubectl create token: spec only (status is the server's). expirationSeconds and boundObjectRef are pointers.
const TokenRequest: MessageType = {
  name: 'TokenRequest',
  fields: {
    1: { name: 'metadata', type: ObjectMeta },
    2: {
      name: 'spec',
      type: {
        name: 'TokenRequestSpec',
        fields: {
          1: { name: 'audiences', type: 'string', repeated: true, keepZero: true },
          4: { name: 'expirationSeconds', type: 'int64', keepZero: true },
          3: {
            name: 'boundObjectRef',
            type: {
              name: 'BoundObjectReference',
              fields: {
                1: { name: 'kind', type: 'string' },
                2: { name: 'apiVersion', type: 'string' },
                3: { name: 'name', type: 'string' },
                4: { name: 'uid', type: 'string' },
              },
            },
            keepZero: true,
          },
        },
      },
      keepZero: true,
    },
  },
};

export const AUTH_PROTOBUF_KINDS: ReadonlyArray<[string, MessageType]> = [
  ['Role', Role],
  ['ClusterRole', ClusterRole],
  ['RoleBinding', RoleBinding],
  ['ClusterRoleBinding', { ...RoleBinding, name: 'ClusterRoleBinding' }],
  ['SubjectAccessReview', review('SubjectAccessReview', SubjectAccessReviewSpec)],
  ['LocalSubjectAccessReview', review('LocalSubjectAccessReview', SubjectAccessReviewSpec)],
  ['SelfSubjectAccessReview', review('SelfSubjectAccessReview', SelfSubjectAccessReviewSpec)],
  ['SelfSubjectRulesReview', SelfSubjectRulesReview],
  ['TokenReview', TokenReview],
  ['TokenRequest', TokenRequest],
  // kubectl auth whoami: no spec; the status (2) is the server's to fill.
  ['SelfSubjectReview', { name: 'SelfSubjectReview', fields: { 1: { name: 'metadata', type: ObjectMeta } } }],
];
