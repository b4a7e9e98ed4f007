import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impersonating } from '../../src/clusters/impersonating-client.js';
import { escapeExtraKey } from '../../src/clusters/impersonation.js';
import { KubeHttpClient } from '../../src/clusters/kube-client.js';

/** An API server stand-in that records the raw header lines of every request. */
function recordingServer() {
  const seen: string[][] = [];
  const server = http.createServer((req, res) => {
    const lines: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    seen.push(lines.filter((l) => l.toLowerCase().startsWith('impersonate-')));
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  return { server, seen };
}

describe('Impersonate-* headers', () => {
  const { server, seen } = recordingServer();
  let client: KubeHttpClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
    client = new KubeHttpClient({ cluster: 'c', kubeConfig, apiTimeoutMs: 2000 });
  });
  afterAll(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends user, uid, one line per group (a comma stays inside its group) and encoded extra keys', async () => {
    seen.length = 0;
    await client.json({
      path: '/api/v1/nodes',
      impersonate: {
        user: 'alice@example.com',
        uid: 'u-42',
        groups: ['devs', 'ops,oncall', 'system:authenticated'],
        extra: { 'scopes.example.com/team': ['a', 'b'], 'reason%': ['x y'] },
      },
    });
    expect(seen[0]).toEqual([
      'impersonate-user: alice@example.com',
      'impersonate-uid: u-42',
      'impersonate-group: devs',
      'impersonate-group: ops,oncall',
      'impersonate-group: system:authenticated',
      'impersonate-extra-scopes.example.com%2Fteam: a',
      'impersonate-extra-scopes.example.com%2Fteam: b',
      'impersonate-extra-reason%25: x y',
    ]);
  });

  it('sends none without an identity, and the wrapper adds it to every call', async () => {
    seen.length = 0;
    await client.json({ path: '/api/v1/nodes' });
    const bob = impersonating(client, { user: 'bob', groups: [] });
    await bob.json({ path: '/api/v1/nodes' });
    const stream = await bob.stream({ path: '/api/v1/pods' });
    stream.body.resume();
    expect(seen).toEqual([[], ['impersonate-user: bob'], ['impersonate-user: bob']]);
    expect(bob.cluster).toBe('c');
  });

  it.each([
    ['plain', 'plain'],
    ['Upper/Case', 'upper%2Fcase'],
    ['with space', 'with%20space'],
    ['ünï', '%C3%BCn%C3%AF'],
    ['100%', '100%25'],
  ])('extra key %j is sent as %j', (key, header) => {
    expect(escapeExtraKey(key)).toBe(header);
  });
});
