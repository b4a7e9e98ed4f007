/**
 * The bearer token the user signed in with: kept in session storage, so it lives as long as the
 * tab and never reaches other tabs or disk beyond the browser's session store.
 */
const KEY = 'kube-node-gateway.token';

export function storedToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function storeToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}
