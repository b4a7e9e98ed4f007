/**
 * The `kubectl drain` the gateway's drain is compared with (tests and the drain benchmark):
 * DaemonSet pods stay, emptyDir data and unmanaged pods go, as the gateway does with
 * `deleteEmptyDirData: true, force: true`.
 */
export function kubectlDrainArgs(node: string, timeout: string): string[] {
  return ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force', `--timeout=${timeout}`];
}
