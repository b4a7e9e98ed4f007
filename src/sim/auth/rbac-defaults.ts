/**
 * The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start (bootstrappolicy),
 * cut to what the simulator serves: cluster-admin for system:masters, discovery, public info and
 * self-reviews for every authenticated user, and system:auth-delegator (TokenReview + SubjectAccessReview)
 * to bind to delegating front ends such as the gateway.
 */
import type { KubeObject } from '../kube-object.js';
import type { RbacResourceName } from '../resources.js';
import type { PolicyRule } from './rbac-rules.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, SYSTEM_MASTERS } from './user-info.js';

const META = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

function clusterRole(name: string, rules: PolicyRule[]): KubeObject {
  return { metadata: { name, ...structuredClone(META) }, rules } as KubeObject;
}

function clusterRoleBinding(name: string, groups: string[]): KubeObject {
  return {
    metadata: { name, ...structuredClone(META) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  } as KubeObject;
}

const PUBLIC_INFO = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export function defaultRbacObjects(): Array<[RbacResourceName, KubeObject]> {
  return [
    [
      'clusterroles',
      clusterRole('cluster-admin', [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        { verbs: ['*'], nonResourceURLs: ['*'] },
      ]),
    ],
    [
      'clusterroles',
      clusterRole('system:discovery', [
        {
          verbs: ['get'],
          nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', ...PUBLIC_INFO, '/openapi', '/openapi/*'],
        },
      ]),
    ],
    [
      'clusterroles',
      clusterRole('system:public-info-viewer', [{ verbs: ['get'], nonResourceURLs: PUBLIC_INFO }]),
    ],
    [
      'clusterroles',
      clusterRole('system:basic-user', [
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
        { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
      ]),
    ],
    [
      'clusterroles',
      clusterRole('system:auth-delegator', [
        { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
        { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'] },
      ]),
    ],
    [
      'clusterroles',
      clusterRole('system:service-account-issuer-discovery', [
        {
          verbs: ['get'],
          nonResourceURLs: [
            '/.well-known/openid-configuration',
            '/.well-known/openid-configuration/',
            '/openid/v1/jwks',
            '/openid/v1/jwks/',
          ],
        },
      ]),
    ],
    ['clusterrolebindings', clusterRoleBinding('cluster-admin', [SYSTEM_MASTERS])],
    ['clusterrolebindings', clusterRoleBinding('system:discovery', [ALL_AUTHENTICATED])],
    [
      'clusterrolebindings',
      clusterRoleBinding('system:public-info-viewer', [ALL_AUTHENTICATED, ALL_UNAUTHENTICATED]),
    ],
    ['clusterrolebindings', clusterRoleBinding('system:basic-user', [ALL_AUTHENTICATED])],
    [
      'clusterrolebindings',
      clusterRoleBinding('system:service-account-issuer-discovery', ['system:serviceaccounts']),
    ],
  ];
}
