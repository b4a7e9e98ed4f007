/**
 * A skeletal OpenAPI v3 document: no schemas, only the PATCH operations with their GVK extension and the
 * fieldValidation query parameter. That is what kubectl create/apply probe to decide that the server
 * validates fields itself, so they need no client-side schema (which would otherwise need /openapi/v2).
 */
import { createHash } from 'node:crypto';
import { RESOURCE_LIST, type ResourceType } from './resources.js';

function groupVersionPath(t: ResourceType): string {
  return t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`;
}

function document(path: string): unknown {
  const types = RESOURCE_LIST.filter((t) => groupVersionPath(t) === path);
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const base = `/${path}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}/{name}`;
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const parameters = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
      name,
      in: 'query',
      schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
    }));
    paths[base] = {
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters,
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: { schemas: {} },
  };
}

const PATHS = [...new Set(RESOURCE_LIST.map(groupVersionPath))];
const DOCS = new Map(PATHS.map((p) => [p, JSON.stringify(document(p))]));
const HASHES = new Map(
  [...DOCS].map(([p, d]) => [p, createHash('sha512').update(d).digest('hex').toUpperCase()]),
);

/** The /openapi/v3 index. */
export function openApiV3Index(): string {
  return JSON.stringify({
    paths: Object.fromEntries(
      PATHS.map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${HASHES.get(p)}` }]),
    ),
  });
}

/** The document for `/openapi/v3/<path>`, if served. */
export function openApiV3Document(path: string): string | undefined {
  return DOCS.get(path);
}
