import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type KubernetesObject, loadAllYaml } from '@kubernetes/client-node';

const DEPLOY_DIR = new URL('../../deploy/', import.meta.url).pathname;

/** Every directory under deploy/ that `kubectl apply -k` is meant to take. */
export const OVERLAYS = ['overlays/standalone', 'overlays/ha'] as const;
export type Overlay = (typeof OVERLAYS)[number] | 'base';

/** `kubectl kustomize deploy/<dir>`: what `kubectl apply -k` would send, as objects. */
export function renderManifests(dir: Overlay): KubernetesObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(DEPLOY_DIR, dir)], { encoding: 'utf8' });
  return loadAllYaml(yaml) as KubernetesObject[];
}

/** The one object of a kind (and name, when several share the kind). */
export function objectOf<T extends KubernetesObject>(
  objects: readonly KubernetesObject[],
  kind: string,
  name = 'kube-node-gateway',
): T {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0] as T;
}
