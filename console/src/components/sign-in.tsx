import { useState } from 'preact/hooks';

/** A bearer token form: what `kubectl create token` or an OIDC login gives the user. */
export function SignIn({ message, onToken }: { message?: string; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <main class="sign-in">
      <h1>kube-node-gateway</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <label for="token">Bearer token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          placeholder="kubectl create token ..."
        />
        <button type="submit">Sign in</button>
        {message && (
          <p class="error" role="alert">
            {message}
          </p>
        )}
      </form>
      <p class="hint">The token stays in this tab (session storage) and is sent to this gateway only.</p>
    </main>
  );
}
