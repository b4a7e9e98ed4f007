/** The oldest Node.js the gateway runs on (package.json `engines`): client-node 2's undici needs it. */
export const REQUIRED_NODE_VERSION = '22.19.0';

/**
 * Why this Node.js cannot run the gateway, or undefined when it can. Checked before any module
 * that needs a newer Node is imported: on Node 20 undici dies at import with "Cannot read
 * properties of undefined (reading 'bind')", which names nothing a user can act on.
 */
export function nodeVersionProblem(
  version: string = process.versions.node,
  required: string = REQUIRED_NODE_VERSION,
): string | undefined {
  const have = version.split('.').map(Number);
  const need = required.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a > b) return undefined;
    if (a < b) return `needs Node.js ${required} or later; this is Node.js ${version}`;
  }
  return undefined;
}
