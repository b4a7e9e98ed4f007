import { describe, expect, it } from 'vitest';
import { labelsOfRequest } from '../../src/clusters/kube-request-labels.js';

describe('labelsOfRequest', () => {
  it.each([
    ['GET', '/api/v1/nodes', false, 'list', 'nodes'],
    ['GET', '/api/v1/nodes', true, 'watch', 'nodes'],
    ['GET', '/api/v1/nodes/worker-1', false, 'get', 'nodes'],
    ['PATCH', '/api/v1/nodes/worker-1', false, 'patch', 'nodes'],
    ['GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dx', false, 'list', 'pods'],
    ['GET', '/api/v1/namespaces/x/pods', false, 'list', 'pods'],
    ['DELETE', '/api/v1/namespaces/x/pods/y', false, 'delete', 'pods'],
    ['POST', '/api/v1/namespaces/x/pods/y/eviction', false, 'create', 'pods/eviction'],
    ['GET', '/apis/apps/v1/namespaces/kube-system/daemonsets/fluentd', false, 'get', 'daemonsets'],
    ['POST', '/apis/authentication.k8s.io/v1/tokenreviews', false, 'create', 'tokenreviews'],
    ['POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', false, 'create', 'subjectaccessreviews'],
    ['GET', '/api/v1/namespaces/kube-system', false, 'get', 'namespaces'],
    ['DELETE', '/api/v1/namespaces/x/pods', false, 'deletecollection', 'pods'],
  ])('%s %s (watch %s) is %s %s', (method, path, watch, verb, resource) => {
    expect(labelsOfRequest(method, path, watch)).toEqual({ verb, resource });
  });

  it('never puts an object name into a label, however long', () => {
    const name = 'x'.repeat(10 * 1024);
    expect(labelsOfRequest('GET', `/api/v1/nodes/${name}`, false)).toEqual({
      verb: 'get',
      resource: 'nodes',
    });
    expect(labelsOfRequest('GET', `/api/v1/nodes/${name}/${name}`, false)).toEqual({
      verb: 'get',
      resource: 'other',
    });
    expect(labelsOfRequest('GET', `/api/v1/namespaces/${name}/${name}`, false).resource).toBe('other');
  });

  it.each([
    '/',
    '/api',
    '/apis',
    '/version',
    '/openapi/v2',
    '/api/v1',
    '/apis/apps/v1',
    '/api/v1/made-up-resource',
    '/api/v1/nodes/a/b/c/d',
    '/api/v1/nodes//x',
    '/apis/evil.example/v1/namespaces/x/widgets/y',
    '/healthz',
  ])('%s is resource "other"', (path) => {
    expect(labelsOfRequest('GET', path, false).resource).toBe('other');
  });

  it('reports methods outside the REST verbs as "other"', () => {
    expect(labelsOfRequest('BREW', '/api/v1/nodes', false).verb).toBe('other');
    expect(labelsOfRequest('get', '/api/v1/nodes/a', false).verb).toBe('get');
  });
});
