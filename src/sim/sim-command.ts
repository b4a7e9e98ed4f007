/**
 * `kube-node-gateway sim [flags]`: runs a simulator until SIGINT/SIGTERM, printing its URL and writing a
 * kubeconfig. Bad flags print a one-line reason and exit with code 2.
 */
import { RbacFileError } from './auth/rbac-file.js';
import { TokenFileError } from './auth/token-auth-file.js';
import type { SimulatorOptions } from './index.js';

export const SIM_USAGE = `Usage: kube-node-gateway sim [flags]

Runs a simulated Kubernetes API server (kubectl and client libraries accept it).

Flags:
  --port N                 listen port (default 0: any free port)
  --host HOST              listen address (default 127.0.0.1)
  --nodes N                number of nodes (default 50)
  --pods N                 number of pods, all kinds included (default 1500)
  --seed N                 generation seed (default 1)
  --kubeconfig-out FILE    write a kubeconfig for the simulator to FILE
  --audit-log FILE         append one JSON line per API request to FILE
  --token TOKEN            bearer token to accept (default random)
  --heartbeat-interval MS  node heartbeat interval in ms, 0 disables (default 10000)
  --churn-pods-per-second N   delete (and so recreate) ReplicaSet pods at this rate (default 0)
  --churn-ready-flaps-per-minute N   flap a worker NotReady this often (default 0)
  --token-auth-file FILE   static tokens, CSV token,user,uid[,"group1,group2"] (kube-apiserver's format)
  --authorization-mode M   AlwaysAllow (default) or RBAC
  --rbac-file FILE         Roles, ClusterRoles and bindings to create at start (YAML or JSON)
  --no-tls                 plain http (the kubeconfig then sets insecure-skip-tls-verify)
  --help                   show this help
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface SimCommandOptions {
  sim: SimulatorOptions;
  kubeconfigOut: string | undefined;
  help: boolean;
}

function intFlag(flag: string, raw: string | undefined, min: number): number {
  if (raw === undefined || !/^-?\d+$/.test(raw))
    throw new UsageError(`${flag} needs an integer, got ${raw === undefined ? 'nothing' : `"${raw}"`}`);
  const n = Number(raw);
  if (n < min) throw new UsageError(`${flag} must be >= ${min}, got ${n}`);
  return n;
}

function numberFlag(flag: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(
      `${flag} needs a non-negative number, got ${raw === undefined ? 'nothing' : `"${raw}"`}`,
    );
  return n;
}

export function parseSimArgs(argv: readonly string[]): SimCommandOptions {
  const sim: SimulatorOptions = {};
  let kubeconfigOut: string | undefined;
  let help = false;
  const churn: NonNullable<SimulatorOptions['churn']> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        sim.port = intFlag(flag, value(), 0);
        if (sim.port > 65535) throw new UsageError(`--port must be <= 65535, got ${sim.port}`);
        break;
      case '--host': {
        const v = value();
        if (!v) throw new UsageError('--host needs a value');
        sim.host = v;
        break;
      }
      case '--nodes':
        sim.nodes = intFlag(flag, value(), 0);
        break;
      case '--pods':
        sim.pods = intFlag(flag, value(), 0);
        break;
      case '--seed':
        sim.seed = intFlag(flag, value(), 0);
        break;
      case '--kubeconfig-out':
        kubeconfigOut = value();
        if (!kubeconfigOut) throw new UsageError('--kubeconfig-out needs a file path');
        break;
      case '--audit-log': {
        const v = value();
        if (!v) throw new UsageError('--audit-log needs a file path');
        sim.auditLogPath = v;
        break;
      }
      case '--token': {
        const v = value();
        if (!v) throw new UsageError('--token needs a value');
        sim.token = v;
        break;
      }
      case '--heartbeat-interval':
        sim.heartbeatIntervalMs = intFlag(flag, value(), 0);
        break;
      case '--churn-pods-per-second':
        churn.podsPerSecond = numberFlag(flag, value());
        break;
      case '--churn-ready-flaps-per-minute':
        churn.readyFlapsPerMinute = numberFlag(flag, value());
        break;
      case '--token-auth-file': {
        const v = value();
        if (!v) throw new UsageError('--token-auth-file needs a file path');
        sim.tokenAuthFile = v;
        break;
      }
      case '--rbac-file': {
        const v = value();
        if (!v) throw new UsageError('--rbac-file needs a file path');
        sim.rbacFile = v;
        break;
      }
      case '--authorization-mode': {
        const v = value();
        if (v !== 'AlwaysAllow' && v !== 'RBAC')
          throw new UsageError(
            `--authorization-mode must be AlwaysAllow or RBAC, got ${v === undefined ? 'nothing' : `"${v}"`}`,
          );
        sim.authorizationMode = v;
        break;
      }
      case '--no-tls':
        sim.tls = false;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown flag: ${arg}`);
    }
  }
  if (churn.podsPerSecond || churn.readyFlapsPerMinute) sim.churn = churn;
  return { sim, kubeconfigOut, help };
}

export async function runSimCommand(argv: string[]): Promise<void> {
  let parsed: SimCommandOptions;
  try {
    parsed = parseSimArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kube-node-gateway sim: ${e.message} (see --help)\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
  if (parsed.help) {
    process.stdout.write(SIM_USAGE);
    return;
  }
  const { startSimulator } = await import('./index.js');
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator(parsed.sim);
  } catch (e) {
    // A bad token or RBAC file is the user's mistake: one line, no stack.
    if (e instanceof TokenFileError || e instanceof RbacFileError) {
      process.stderr.write(`kube-node-gateway sim: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  console.log(`simulated Kubernetes API server listening on ${sim.url}`);
  if (parsed.kubeconfigOut) {
    await sim.writeKubeconfig(parsed.kubeconfigOut);
    console.log(
      `kubeconfig written to ${parsed.kubeconfigOut} (kubectl --kubeconfig ${parsed.kubeconfigOut} get nodes)`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.stop();
}
