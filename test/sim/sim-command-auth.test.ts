import { describe, expect, it } from 'vitest';
import { parseSimArgs, UsageError } from '../../src/sim/sim-command.js';

describe('sim command: authentication and authorization flags', () => {
  it('reads --token-auth-file, --authorization-mode and --rbac-file', () => {
    expect(
      parseSimArgs(['--token-auth-file', 't.csv', '--authorization-mode=RBAC', '--rbac-file', 'r.yaml']).sim,
    ).toEqual({ tokenAuthFile: 't.csv', authorizationMode: 'RBAC', rbacFile: 'r.yaml' });
  });
  it.each([
    [['--authorization-mode', 'Webhook'], '--authorization-mode must be AlwaysAllow or RBAC, got "Webhook"'],
    [['--token-auth-file'], '--token-auth-file needs a file path'],
    [['--rbac-file'], '--rbac-file needs a file path'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSimArgs(argv)).toThrow(UsageError);
    expect(() => parseSimArgs(argv)).toThrow(message);
  });
});
