import { describe, expect, it } from 'vitest';
import { impersonationRequests } from '../../src/sim/auth/impersonation.js';
import { type Attributes, appliesTo, type PolicyRule, ruleAllows } from '../../src/sim/auth/rbac-rules.js';
import { parseTokenFile, TokenFileError } from '../../src/sim/auth/token-auth-file.js';
import { queryBool } from '../../src/sim/query-bool.js';

const alice = { username: 'alice', groups: ['ops', 'system:authenticated'] };

const res = (
  verb: string,
  resource: string,
  extra: Partial<Extract<Attributes, { resourceRequest: true }>> = {},
) => ({ user: alice, resourceRequest: true, verb, apiGroup: '', resource, ...extra }) as Attributes;
const path = (verb: string, p: string): Attributes => ({
  user: alice,
  resourceRequest: false,
  verb,
  path: p,
});

describe('ruleAllows (RuleAllows of kube-apiserver RBAC)', () => {
  const cases: Array<[string, PolicyRule, Attributes, boolean]> = [
    [
      'exact verb, group and resource',
      { verbs: ['get'], apiGroups: [''], resources: ['nodes'] },
      res('get', 'nodes'),
      true,
    ],
    ['another verb', { verbs: ['get'], apiGroups: [''], resources: ['nodes'] }, res('patch', 'nodes'), false],
    [
      'another group',
      { verbs: ['get'], apiGroups: ['apps'], resources: ['nodes'] },
      res('get', 'nodes'),
      false,
    ],
    ['no apiGroups matches nothing', { verbs: ['get'], resources: ['nodes'] }, res('get', 'nodes'), false],
    [
      '* verb, group and resource',
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      res('delete', 'pods', { apiGroup: 'x' }),
      true,
    ],
    [
      'resource does not cover its subresource',
      { verbs: ['create'], apiGroups: [''], resources: ['pods'] },
      res('create', 'pods', { subresource: 'eviction' }),
      false,
    ],
    [
      'pods/eviction',
      { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction'] },
      res('create', 'pods', { subresource: 'eviction' }),
      true,
    ],
    [
      '*/status matches nodes/status',
      { verbs: ['patch'], apiGroups: [''], resources: ['*/status'] },
      res('patch', 'nodes', { subresource: 'status' }),
      true,
    ],
    [
      '*/status does not match nodes',
      { verbs: ['patch'], apiGroups: [''], resources: ['*/status'] },
      res('patch', 'nodes'),
      false,
    ],
    [
      'resourceNames: the named node',
      { verbs: ['patch'], apiGroups: [''], resources: ['nodes'], resourceNames: ['node-1'] },
      res('patch', 'nodes', { name: 'node-1' }),
      true,
    ],
    [
      'resourceNames: another node',
      { verbs: ['patch'], apiGroups: [''], resources: ['nodes'], resourceNames: ['node-1'] },
      res('patch', 'nodes', { name: 'node-2' }),
      false,
    ],
    [
      'resourceNames: a list has no name',
      { verbs: ['list'], apiGroups: [''], resources: ['nodes'], resourceNames: ['node-1'] },
      res('list', 'nodes'),
      false,
    ],
    [
      'nonResourceURLs exact',
      { verbs: ['get'], nonResourceURLs: ['/version'] },
      path('get', '/version'),
      true,
    ],
    [
      'nonResourceURLs prefix *',
      { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
      path('get', '/apis/apps/v1'),
      true,
    ],
    [
      'nonResourceURLs prefix * is not a suffix match',
      { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
      path('get', '/api/v1'),
      false,
    ],
    ['nonResourceURLs *', { verbs: ['get'], nonResourceURLs: ['*'] }, path('get', '/healthz'), true],
    [
      'a resource rule never allows a path',
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      path('get', '/version'),
      false,
    ],
    [
      'a path rule never allows a resource',
      { verbs: ['*'], nonResourceURLs: ['*'] },
      res('get', 'nodes'),
      false,
    ],
  ];
  it.each(cases)('%s', (_name, rule, attrs, allowed) => {
    expect(ruleAllows(attrs, rule)).toBe(allowed);
  });
});

describe('appliesTo (binding subjects)', () => {
  const sa = { username: 'system:serviceaccount:ops:drainer', groups: [] };
  it.each([
    ['User by name', alice, { kind: 'User', name: 'alice' }, '', true],
    ['User by another name', alice, { kind: 'User', name: 'bob' }, '', false],
    ['Group the user is in', alice, { kind: 'Group', name: 'ops' }, '', true],
    [
      'ServiceAccount with namespace',
      sa,
      { kind: 'ServiceAccount', name: 'drainer', namespace: 'ops' },
      '',
      true,
    ],
    [
      'ServiceAccount defaulting to the RoleBinding namespace',
      sa,
      { kind: 'ServiceAccount', name: 'drainer' },
      'ops',
      true,
    ],
    [
      'ServiceAccount without namespace in a ClusterRoleBinding',
      sa,
      { kind: 'ServiceAccount', name: 'drainer' },
      '',
      false,
    ],
  ])('%s', (_n, user, subject, ns, expected) => {
    expect(appliesTo(user, subject, ns)).toBe(expected);
  });
});

describe('static token file (kube-apiserver --token-auth-file)', () => {
  it('reads token,user,uid and a quoted group list; the group column is optional', () => {
    const text = 'tok-a,alice,u1,"ops,viewers"\ntok-b,bob,u2\n\ntok-c,carol,u3,dev\n';
    expect(parseTokenFile(text, 'f.csv')).toEqual([
      { token: 'tok-a', user: 'alice', uid: 'u1', groups: ['ops', 'viewers'] },
      { token: 'tok-b', user: 'bob', uid: 'u2' },
      { token: 'tok-c', user: 'carol', uid: 'u3', groups: ['dev'] },
    ]);
  });
  it.each([
    [
      'too few columns',
      'tok,alice\n',
      "token file 'f.csv' must have at least 3 columns (token, user name, user uid), found 2",
    ],
    ['a bare quote', 'tok,al"ice,u1\n', 'bare " in non-quoted-field'],
    ['an unterminated quote', 'tok,alice,u1,"ops\n', 'extraneous or missing " in quoted-field'],
  ])('rejects %s', (_n, text, message) => {
    expect(() => parseTokenFile(text, 'f.csv')).toThrow(TokenFileError);
    expect(() => parseTokenFile(text, 'f.csv')).toThrow(message);
  });
});

describe('Impersonate-* headers', () => {
  it('Impersonate-Group without Impersonate-User is refused, naming the requests as the apiserver does', () => {
    expect(() => impersonationRequests({ 'impersonate-group': ['ops'] })).toThrow(
      'requested [{Group  ops    }] without impersonating a user',
    );
  });
  it('a service account user becomes a ServiceAccount request', () => {
    expect(impersonationRequests({ 'impersonate-user': ['system:serviceaccount:ops:drainer'] })).toEqual([
      { kind: 'ServiceAccount', namespace: 'ops', name: 'drainer', apiVersion: '', fieldPath: '' },
    ]);
  });
});

describe('boolean query parameters (Convert_Slice_string_To_bool)', () => {
  it.each([
    ['watch=true', true],
    ['watch=True', true],
    ['watch=TRUE', true],
    ['watch=1', true],
    ['watch=yes', true],
    ['watch=', true],
    ['watch=false', false],
    ['watch=False', false],
    ['watch=FALSE', false],
    ['watch=0', false],
    ['other=1', undefined],
  ])('%s -> %s', (q, expected) => {
    expect(queryBool(new URLSearchParams(q), 'watch')).toBe(expected);
  });
});
