import { describe, expect, it } from 'vitest';
import { createHostPolicy } from '../../src/server/http-guards/host-policy.js';

describe('Host header policy (DNS rebinding)', () => {
  const loopback = createHostPolicy({ host: '127.0.0.1', publicUrls: [] });
  const published = createHostPolicy({
    host: '0.0.0.0',
    publicUrls: ['https://gw.example.com', 'http://kube-node-gateway.ops.svc:4000'],
  });
  const named = createHostPolicy({ host: 'Gateway.Internal', publicUrls: [] });

  it.each([
    ['127.0.0.1:4000', loopback, true],
    ['localhost:4000', loopback, true],
    ['LOCALHOST', loopback, true],
    ['[::1]:4000', loopback, true],
    ['10.244.1.7:4000', loopback, true],
    [undefined, loopback, true],
    ['evil.example', loopback, false],
    ['evil.example:4000', loopback, false],
    ['localhost.evil.example', loopback, false],
    ['evil@127.0.0.1', loopback, false],
    ['127.0.0.1/x', loopback, false],
    ['[evil.example]', loopback, false],
    ['', loopback, false],
    ['gw.example.com', published, true],
    ['gw.example.com:443', published, true],
    ['gw.example.com.', published, true],
    ['kube-node-gateway.ops.svc:4000', published, true],
    ['other.example.com', published, false],
    ['gateway.internal:4000', named, true],
    ['gw.example.com', named, false],
  ] as const)('Host %s -> %s', (host, policy, allowed) => {
    expect(policy(host)).toBe(allowed);
  });

  it('refuses a --public-url that is not a URL, naming it', () => {
    expect(() => createHostPolicy({ host: '0.0.0.0', publicUrls: ['gw.example.com'] })).toThrow(
      /--public-url must be a URL.*"gw\.example\.com"/,
    );
  });
});
