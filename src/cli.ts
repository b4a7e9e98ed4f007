#!/usr/bin/env node
import { nodeVersionProblem } from './platform/node-version.js';
import { UsageError } from './platform/usage-error.js';

const HELP = `Usage: kube-node-gateway <command> [flags]

Commands:
  serve   run the GraphQL gateway (see: kube-node-gateway serve --help)
  sim     run a simulated Kubernetes API server (see: kube-node-gateway sim --help)
`;

async function main(argv: string[]): Promise<void> {
  // Before any command's modules load: they need a newer Node than this file does.
  const tooOld = nodeVersionProblem();
  if (tooOld) throw new UsageError([tooOld]);
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { runServeCommand } = await import('./server/serve-command.js');
      return runServeCommand(rest);
    }
    case 'sim': {
      const { runSimCommand } = await import('./sim/index.js');
      return runSimCommand(rest);
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return;
    default:
      throw new UsageError([`unknown command "${command}" (expected serve or sim)`]);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    for (const problem of err.problems) process.stderr.write(`kube-node-gateway: ${problem}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `kube-node-gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
