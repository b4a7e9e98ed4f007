import type { JWTPayload } from 'jose';
import { AuthenticationError } from './authentication-error.js';
import type { Caller } from './caller.js';

/** How claims become a Caller: kube-apiserver's --oidc-username-claim/prefix and --oidc-groups-claim/prefix. */
export interface OidcClaimMapping {
  readonly issuerUrl: string;
  readonly usernameClaim: string;
  /** undefined = kube-apiserver's default; `-` = no prefix. */
  readonly usernamePrefix?: string;
  readonly groupsClaim?: string;
  readonly groupsPrefix?: string;
}

/**
 * kube-apiserver's default: usernames from any claim but `email` are prefixed with the issuer
 * URL and `#`, so `sub` values of different issuers cannot collide with each other or with
 * Kubernetes' own users; `-` turns prefixing off.
 */
export function usernamePrefixOf(mapping: OidcClaimMapping): string {
  if (mapping.usernamePrefix === '-') return '';
  if (mapping.usernamePrefix !== undefined) return mapping.usernamePrefix;
  return mapping.usernameClaim === 'email' ? '' : `${mapping.issuerUrl}#`;
}

function refuse(reason: string): never {
  throw new AuthenticationError('UNAUTHENTICATED', reason);
}

/** The Caller of a verified token's claims; refuses claims kube-apiserver would refuse. */
export function callerFromClaims(claims: JWTPayload, mapping: OidcClaimMapping): Caller {
  const username = claims[mapping.usernameClaim];
  if (typeof username !== 'string' || username.length === 0)
    refuse(`the token has no string claim ${mapping.usernameClaim}`);
  // As kube-apiserver: an email that the issuer says is unverified names nobody.
  if (
    mapping.usernameClaim === 'email' &&
    claims.email_verified !== undefined &&
    claims.email_verified !== true
  )
    refuse('the token says its email is not verified');
  return {
    username: `${usernamePrefixOf(mapping)}${username}`,
    groups: groupsOf(claims, mapping),
    anonymous: false,
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
  };
}

function groupsOf(claims: JWTPayload, mapping: OidcClaimMapping): string[] {
  if (mapping.groupsClaim === undefined) return [];
  const value = claims[mapping.groupsClaim];
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((g): g is string => typeof g === 'string'))
    refuse(`the claim ${mapping.groupsClaim} is neither a string nor a list of strings`);
  return list.map((g) => `${mapping.groupsPrefix ?? ''}${g}`);
}
