/**
 * Legacy (unaggregated) discovery documents: /version, /api, /api/v1, /apis, /apis/<group>[/<version>].
 * kubectl asks for aggregated discovery first; answering plain application/json makes it fall back to
 * these, which is what a pre-1.26 apiserver does and is all get/label/taint/cordon/drain need.
 */
import { REVIEW_KINDS } from './auth/reviews.js';
import { RESOURCE_LIST, type ResourceType } from './resources.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:03:14Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

function resourcesOf(t: ResourceType): ApiResource[] {
  const main: ApiResource = {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs:
      t.resource === 'namespaces' || t.resource === 'nodes'
        ? ALL_VERBS.filter((v) => t.resource === 'nodes' || v !== 'deletecollection')
        : ALL_VERBS,
    ...(t.shortNames.length ? { shortNames: [...t.shortNames] } : {}),
    ...(t.categories.length ? { categories: [...t.categories] } : {}),
    storageVersionHash: t.storageVersionHash,
  };
  const out = [main];
  if (t.resource === 'pods') {
    out.push({
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
  }
  if (t.resource === 'serviceaccounts') {
    out.push({
      name: 'serviceaccounts/token',
      singularName: '',
      namespaced: true,
      group: 'authentication.k8s.io',
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    });
  }
  if (t.hasStatusSubresource) {
    out.push({
      name: `${t.resource}/status`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: STATUS_VERBS,
    });
  }
  return out;
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** The create-only review kinds (TokenReview, SubjectAccessReview, ...): nothing stored, nothing listed. */
function reviewResources(group: string, version: string): ApiResource[] {
  if (version !== 'v1') return [];
  return REVIEW_KINDS.filter((k) => k.group === group).map((k) => ({
    name: k.resource,
    singularName: k.kind.toLowerCase(),
    namespaced: false,
    kind: k.kind,
    verbs: ['create'],
  }));
}

export function resourceList(group: string, version: string): unknown | undefined {
  const types = RESOURCE_LIST.filter((t) => t.group === group && t.version === version);
  const reviews = reviewResources(group, version);
  if (types.length === 0 && reviews.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: [...types.flatMap(resourcesOf), ...reviews],
  };
}

function groups(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of RESOURCE_LIST) {
    if (!t.group) continue;
    const versions = out.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    out.set(t.group, versions);
  }
  for (const k of REVIEW_KINDS) if (!out.has(k.group)) out.set(k.group, ['v1']);
  return out;
}

function apiGroup(name: string, versions: string[]): unknown {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups()].map(([name, versions]) => apiGroup(name, versions)),
  };
}

export function apiGroupDocument(name: string): unknown | undefined {
  const versions = groups().get(name);
  return versions
    ? { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(name, versions) as object) }
    : undefined;
}
