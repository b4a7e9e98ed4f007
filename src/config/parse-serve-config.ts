import { parseArgs } from 'node:util';
import { setField } from './config-field.js';
import type { FlagDeclaration } from './flag-declaration.js';
import { DEFAULT_CONFIG, type GatewayConfig } from './gateway-config.js';
import { SERVE_FLAGS } from './serve-flags.js';
import { HELP_FLAG, renderServeHelp } from './serve-help.js';

export type ParseResult =
  | { kind: 'config'; config: GatewayConfig }
  | { kind: 'help' }
  | { kind: 'usage-error'; problems: string[] };

export const SERVE_HELP = renderServeHelp(SERVE_FLAGS);

function parseArgsOptions(flags: readonly FlagDeclaration[]) {
  return Object.fromEntries([
    ...flags.map((flag) => [flag.name, flag.parseArgsOption] as const),
    [HELP_FLAG.name, { type: 'boolean', short: HELP_FLAG.short }] as const,
  ]);
}

/** Problems no single flag can see: combinations that contradict each other. */
function crossChecks(config: GatewayConfig): string[] {
  return config.allContexts && config.contexts.length > 0
    ? ['--all-contexts and --context exclude each other']
    : [];
}

/**
 * Flags win over environment variables, which win over defaults. Every problem is collected,
 * so a bad start lists them all at once instead of one per attempt.
 */
export function parseServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ParseResult {
  let values: ReturnType<typeof parseArgs>['values'];
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: parseArgsOptions(SERVE_FLAGS),
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { kind: 'usage-error', problems: [(err as Error).message] };
  }
  if (values[HELP_FLAG.name]) return { kind: 'help' };

  const problems: string[] = [];
  const config = structuredClone(DEFAULT_CONFIG);
  for (const flag of SERVE_FLAGS) {
    const resolved = flag.resolve(values[flag.name], env, (problem) => problems.push(problem));
    if (resolved) setField(config, flag.field, resolved.value);
  }
  problems.push(...crossChecks(config));
  return problems.length > 0 ? { kind: 'usage-error', problems } : { kind: 'config', config };
}
