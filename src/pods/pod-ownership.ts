import type { KubeOwnerReference, KubePod } from './kube-pod.js';

/**
 * Who manages a pod and what removing it loses: the facts both the pod view (src/pods) and the
 * drain's filters (src/drain, which may import pods but not the reverse) read the same way.
 */

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** The controller owner reference, as kubectl drain's GetControllerOf finds it. */
export function controllerOf(pod: KubePod): KubeOwnerReference | undefined {
  return pod.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** A static pod the kubelet mirrors into the API from a manifest; the API cannot remove it. */
export function isMirrorPod(pod: KubePod): boolean {
  return pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
}

/** Has emptyDir volumes (kubectl's "local storage"), whose data goes with the pod. */
export function hasEmptyDir(pod: KubePod): boolean {
  return pod.spec?.volumes?.some((v) => v.emptyDir !== undefined && v.emptyDir !== null) ?? false;
}
