import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, originPolicy } from '../../src/server/http-guards/origin-policy.js';

describe('Origin policy shared by CORS and WebSocket upgrades', () => {
  const host = 'localhost:4000';
  it.each([
    [[], undefined, 'none'],
    [[], 'http://localhost:4000', 'same-host'],
    [[], 'https://evil.example', 'foreign'],
    [[], 'null', 'foreign'],
    [[], 'http://localhost:4001', 'foreign'],
    [['https://portal.example.com'], 'https://portal.example.com', 'listed'],
    [['https://portal.example.com/'], 'https://portal.example.com', 'listed'],
    [['https://Portal.Example.com:443'], 'https://portal.example.com', 'listed'],
    [['https://portal.example.com'], 'http://portal.example.com', 'foreign'],
    [['https://portal.example.com'], 'https://portal.example.com.evil.example', 'foreign'],
    [['*'], 'https://evil.example', 'any'],
    [['*', 'https://portal.example.com'], 'https://portal.example.com', 'listed'],
  ] as const)('allowlist %j, Origin %s -> %s', (allowed, origin, grant) => {
    expect(originPolicy(allowed).grant({ origin, host })).toBe(grant);
    expect(isAllowedOrigin({ headers: { origin, host } }, allowed)).toBe(grant !== 'foreign');
  });

  it.each([
    'portal.example.com',
    'https://portal.example.com/app',
    'ftp://portal.example.com',
    'https://u@portal.example.com',
  ])('refuses the allowlist entry %s, naming it', (entry) => {
    expect(() => originPolicy([entry])).toThrow(/--allowed-origin must be an origin/);
  });
});
