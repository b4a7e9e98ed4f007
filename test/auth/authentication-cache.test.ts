import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CachingAuthenticator } from '../../src/auth/authentication-cache.js';
import { AuthenticationError } from '../../src/auth/authentication-error.js';
import type { Authenticator } from '../../src/auth/authenticator.js';
import type { Caller } from '../../src/auth/caller.js';

/** An authenticator that counts calls: `bad-*` tokens are refused, `down` finds the API down. */
function fakeAuthority(expiresAt?: number) {
  const calls: string[] = [];
  const authenticator: Authenticator = {
    async authenticate(token) {
      calls.push(token);
      if (token === 'down') throw new AuthenticationError('UPSTREAM_UNAVAILABLE', 'API down');
      if (token.startsWith('bad')) throw new AuthenticationError('UNAUTHENTICATED', 'no');
      return { username: `user-${token}`, groups: [], anonymous: false, expiresAt } satisfies Caller;
    },
  };
  return { calls, authenticator };
}

function cacheOver(inner: Authenticator, overrides: { maxEntries?: number } = {}) {
  let now = 1_000_000;
  const cache = new CachingAuthenticator(inner, {
    ttlMs: 60_000,
    failureTtlMs: 10_000,
    maxEntries: overrides.maxEntries ?? 100,
    now: () => now,
  });
  return { cache, advance: (ms: number) => (now += ms), now: () => now };
}

describe('CachingAuthenticator', () => {
  it('answers a repeated token from the cache until the TTL passes', async () => {
    const authority = fakeAuthority();
    const { cache, advance } = cacheOver(authority.authenticator);
    expect((await cache.authenticate('t1')).username).toBe('user-t1');
    advance(59_999);
    await cache.authenticate('t1');
    expect(authority.calls).toEqual(['t1']);
    advance(1);
    await cache.authenticate('t1');
    expect(authority.calls).toEqual(['t1', 't1']);
  });

  it('keeps refusals for the failure TTL only', async () => {
    const authority = fakeAuthority();
    const { cache, advance } = cacheOver(authority.authenticator);
    await expect(cache.authenticate('bad')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    advance(9_999);
    await expect(cache.authenticate('bad')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(authority.calls).toEqual(['bad']);
    advance(1);
    await expect(cache.authenticate('bad')).rejects.toThrow();
    expect(authority.calls).toEqual(['bad', 'bad']);
  });

  it('never caches an authority that did not answer', async () => {
    const authority = fakeAuthority();
    const { cache } = cacheOver(authority.authenticator);
    await expect(cache.authenticate('down')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(cache.authenticate('down')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(authority.calls).toEqual(['down', 'down']);
    expect(cache.size).toBe(0);
  });

  it("does not reuse an identity past the token's own expiry", async () => {
    let now = 1_000_000;
    const authority = fakeAuthority(now + 5_000);
    const cache = new CachingAuthenticator(authority.authenticator, {
      ttlMs: 60_000,
      failureTtlMs: 10_000,
      maxEntries: 10,
      now: () => now,
    });
    await cache.authenticate('t');
    now += 5_000;
    await cache.authenticate('t');
    expect(authority.calls).toEqual(['t', 't']);
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const authority = fakeAuthority();
    const { cache } = cacheOver(authority.authenticator, { maxEntries: 2 });
    await cache.authenticate('a');
    await cache.authenticate('b');
    await cache.authenticate('a'); // a is now the most recent
    await cache.authenticate('c'); // pushes b out
    expect(cache.size).toBe(2);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    await cache.authenticate('b');
    expect(authority.calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('keys entries by the SHA-256 of the token, never the token', async () => {
    const authority = fakeAuthority();
    const { cache } = cacheOver(authority.authenticator);
    const token = 'secret-token-value';
    await cache.authenticate(token);
    const keys = [...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()];
    expect(keys).toEqual([createHash('sha256').update(token).digest('hex')]);
    expect(keys.join()).not.toContain(token);
  });

  it('shares one call between concurrent lookups of one token', async () => {
    const authority = fakeAuthority();
    const { cache } = cacheOver(authority.authenticator);
    const [a, b] = await Promise.all([cache.authenticate('t'), cache.authenticate('t')]);
    expect(a).toBe(b);
    expect(authority.calls).toEqual(['t']);
  });
});
