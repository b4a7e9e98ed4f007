import { describe, expect, it } from 'vitest';
import { authenticateCredentials } from '../../src/auth/authenticate-credentials.js';
import { AuthenticationError } from '../../src/auth/authentication-error.js';
import type { Authenticator } from '../../src/auth/authenticator.js';
import {
  credentialsFromAuthorization,
  credentialsFromConnectionParams,
  MAX_TOKEN_BYTES,
} from '../../src/auth/credentials.js';

const JWT_LIKE = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('credentialsFromAuthorization', () => {
  it('reads one bearer token, the scheme in any case', () => {
    expect(credentialsFromAuthorization(`Bearer ${JWT_LIKE}`)).toEqual({ kind: 'bearer', token: JWT_LIKE });
    expect(credentialsFromAuthorization(`bearer ${JWT_LIKE}`)).toEqual({ kind: 'bearer', token: JWT_LIKE });
    expect(credentialsFromAuthorization([`Bearer abc==`])).toEqual({ kind: 'bearer', token: 'abc==' });
  });

  it('reports no credentials when there is no header', () => {
    expect(credentialsFromAuthorization(undefined)).toEqual({ kind: 'none' });
    expect(credentialsFromAuthorization(null)).toEqual({ kind: 'none' });
    expect(credentialsFromAuthorization([])).toEqual({ kind: 'none' });
  });

  it.each([
    ['Bearer with no token', 'Bearer'],
    ['Bearer and spaces only', 'Bearer    '],
    ['Basic credentials', 'Basic YWxpY2U6c2VjcmV0'],
    ['two headers joined by a proxy', 'Bearer aaa, Bearer bbb'],
    ['a token with a space in it', 'Bearer aaa bbb'],
    ['a token with a quote', 'Bearer "aaa"'],
    ['a token of 10 KB', `Bearer ${'a'.repeat(10 * 1024)}`],
  ])('refuses %s', (_, header) => {
    const credentials = credentialsFromAuthorization(header);
    expect(credentials.kind).toBe('malformed');
    // The reason names the problem, never the value.
    if (credentials.kind === 'malformed') expect(credentials.reason).not.toContain('YWxpY2U6c2VjcmV0');
  });

  it('refuses two Authorization headers given as a list', () => {
    expect(credentialsFromAuthorization(['Bearer aaa', 'Bearer bbb'])).toMatchObject({ kind: 'malformed' });
  });

  it('accepts a token of exactly the largest size', () => {
    const token = 'a'.repeat(MAX_TOKEN_BYTES);
    expect(credentialsFromAuthorization(`Bearer ${token}`)).toEqual({ kind: 'bearer', token });
  });
});

describe('credentialsFromConnectionParams', () => {
  it('reads authorization or Authorization from the connection_init payload', () => {
    expect(credentialsFromConnectionParams({ authorization: 'Bearer abc' })).toEqual({
      kind: 'bearer',
      token: 'abc',
    });
    expect(credentialsFromConnectionParams({ Authorization: 'Bearer abc' })).toEqual({
      kind: 'bearer',
      token: 'abc',
    });
    expect(
      credentialsFromConnectionParams({ authorization: 'Bearer abc', Authorization: 'Bearer abc' }),
    ).toEqual({
      kind: 'bearer',
      token: 'abc',
    });
  });

  it.each([
    ['both keys with different tokens', { authorization: 'Bearer a', Authorization: 'Bearer b' }],
    ['a non-string value', { authorization: ['Bearer a'] }],
    ['Basic credentials', { authorization: 'Basic YQ==' }],
  ])('refuses %s', (_, params) => {
    expect(credentialsFromConnectionParams(params)).toMatchObject({ kind: 'malformed' });
  });

  it('reports no credentials for an empty or absent payload', () => {
    expect(credentialsFromConnectionParams(undefined)).toEqual({ kind: 'none' });
    expect(credentialsFromConnectionParams({})).toEqual({ kind: 'none' });
  });
});

describe('authenticateCredentials', () => {
  const counting = () => {
    const seen: string[] = [];
    const authenticator: Authenticator = {
      authenticate: async (token) => {
        seen.push(token);
        return { username: 'alice', groups: [], anonymous: false };
      },
    };
    return { seen, authenticator };
  };

  it('refuses a 10 KB token without asking the authenticator', async () => {
    const { seen, authenticator } = counting();
    const credentials = credentialsFromAuthorization(`Bearer ${'a'.repeat(10 * 1024)}`);
    await expect(authenticateCredentials(credentials, authenticator)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(seen).toEqual([]);
  });

  it('refuses missing credentials without asking the authenticator', async () => {
    const { seen, authenticator } = counting();
    await expect(authenticateCredentials({ kind: 'none' }, authenticator)).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(seen).toEqual([]);
  });

  it('refuses an identity whose credential has expired', async () => {
    const authenticator: Authenticator = {
      authenticate: async () => ({ username: 'a', groups: [], anonymous: false, expiresAt: Date.now() - 1 }),
    };
    await expect(
      authenticateCredentials({ kind: 'bearer', token: 't' }, authenticator),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
