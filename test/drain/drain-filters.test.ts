import { describe, expect, it } from 'vitest';
import {
  DAEMON_SET_FATAL,
  DAEMON_SET_WARNING,
  type DaemonSetLookup,
  type FilterContext,
  filterPod,
  LOCAL_STORAGE_FATAL,
  LOCAL_STORAGE_WARNING,
  MIRROR_POD_SKIP,
  makeFilters,
  type PodDeleteStatus,
  UNMANAGED_FATAL,
  UNMANAGED_WARNING,
} from '../../src/drain/drain-filters.js';
import { DEFAULT_DRAIN_OPTIONS, type DrainOptions } from '../../src/drain/drain-options.js';
import type { KubePod } from '../../src/pods/kube-pod.js';
import { pod } from './fake-drain-api.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ds = pod('ds-pod', { owner: 'DaemonSet', ownerName: 'kube-proxy' });
const orphanDs = pod('orphan-ds-pod', { owner: 'DaemonSet', ownerName: 'gone' });
const daemonSets = new Map<string, DaemonSetLookup>([
  ['default/kube-proxy', { kind: 'found' }],
  ['default/gone', { kind: 'not-found', message: 'daemonsets.apps "gone" not found' }],
]);

function decide(p: KubePod, options: Partial<DrainOptions> = {}): PodDeleteStatus {
  const ctx: FilterContext = { options: { ...DEFAULT_DRAIN_OPTIONS, ...options }, daemonSets, now: NOW };
  return filterPod(p, makeFilters(ctx));
}

const ok: PodDeleteStatus = { delete: true, reason: 'OKAY', message: null };

describe('drain filters (kubectl pkg/drain order)', () => {
  it.each<[string, KubePod, Partial<DrainOptions>, PodDeleteStatus]>([
    ['a ReplicaSet pod is evicted', pod('rs'), {}, ok],
    [
      'a DaemonSet pod is skipped when ignoring DaemonSets',
      ds,
      {},
      { delete: false, reason: 'WARNING', message: DAEMON_SET_WARNING },
    ],
    [
      'a DaemonSet pod is an error naming the option otherwise',
      ds,
      { ignoreDaemonSets: false },
      { delete: false, reason: 'ERROR', message: DAEMON_SET_FATAL },
    ],
    [
      'a pod of a missing DaemonSet is an error without force',
      orphanDs,
      {},
      { delete: false, reason: 'ERROR', message: 'daemonsets.apps "gone" not found' },
    ],
    [
      'a pod of a missing DaemonSet is evicted with force, with a warning',
      orphanDs,
      { force: true },
      { delete: true, reason: 'WARNING', message: 'daemonsets.apps "gone" not found' },
    ],
    [
      'a mirror pod is always skipped',
      pod('etcd', { owner: 'none', mirror: true }),
      { force: true },
      { delete: false, reason: 'SKIP', message: MIRROR_POD_SKIP },
    ],
    [
      'an emptyDir pod is an error without deleteEmptyDirData',
      pod('cache', { emptyDir: true }),
      {},
      { delete: false, reason: 'ERROR', message: LOCAL_STORAGE_FATAL },
    ],
    [
      'an emptyDir pod is evicted with deleteEmptyDirData',
      pod('cache', { emptyDir: true }),
      { deleteEmptyDirData: true },
      { delete: true, reason: 'WARNING', message: LOCAL_STORAGE_WARNING },
    ],
    [
      'a bare pod is an error without force',
      pod('bare', { owner: 'none' }),
      {},
      { delete: false, reason: 'ERROR', message: UNMANAGED_FATAL },
    ],
    [
      'a bare pod is evicted with force',
      pod('bare', { owner: 'none' }),
      { force: true },
      { delete: true, reason: 'WARNING', message: UNMANAGED_WARNING },
    ],
    [
      // kubectl keeps only the last filter's verdict: the emptyDir warning is replaced by the unmanaged one.
      'a bare emptyDir pod with both options carries the last warning',
      pod('bare-cache', { owner: 'none', emptyDir: true }),
      { force: true, deleteEmptyDirData: true },
      { delete: true, reason: 'WARNING', message: UNMANAGED_WARNING },
    ],
    [
      'an emptyDir error comes before the unmanaged error',
      pod('bare-cache', { owner: 'none', emptyDir: true }),
      {},
      { delete: false, reason: 'ERROR', message: LOCAL_STORAGE_FATAL },
    ],
    [
      'a Succeeded bare emptyDir pod bypasses the checks',
      pod('done', { owner: 'none', emptyDir: true, phase: 'Succeeded' }),
      {},
      ok,
    ],
    [
      'a Failed DaemonSet pod bypasses the DaemonSet check',
      pod('ds-failed', { owner: 'DaemonSet', ownerName: 'kube-proxy', phase: 'Failed' }),
      { ignoreDaemonSets: false },
      ok,
    ],
    [
      'a finished mirror pod is still skipped',
      pod('m', { owner: 'none', mirror: true, phase: 'Succeeded' }),
      {},
      { delete: false, reason: 'SKIP', message: MIRROR_POD_SKIP },
    ],
    [
      'a pod deleting for longer than skipWaitForDeleteTimeoutSeconds is skipped',
      pod('stuck', { deletionTimestamp: '2026-01-01T11:58:00Z' }),
      { skipWaitForDeleteTimeoutSeconds: 60 },
      {
        delete: false,
        reason: 'SKIP',
        message: 'being deleted for more than 60s (skipWaitForDeleteTimeoutSeconds)',
      },
    ],
    [
      'a pod deleting for less than that is evicted',
      pod('recent', { deletionTimestamp: '2026-01-01T11:59:30Z' }),
      { skipWaitForDeleteTimeoutSeconds: 60 },
      ok,
    ],
    [
      'a deleting pod is evicted when the option is off',
      pod('stuck', { deletionTimestamp: '2026-01-01T11:00:00Z' }),
      {},
      ok,
    ],
  ])('%s', (_name, p, options, expected) => {
    expect(decide(p, options)).toEqual(expected);
  });

  it('a controller that is not a DaemonSet of apps/v1 does not count as one', () => {
    const p = pod('x', { owner: 'DaemonSet', ownerName: 'kube-proxy' });
    p.metadata.ownerReferences![0]!.apiVersion = 'extensions/v1beta1';
    expect(decide(p, { ignoreDaemonSets: false })).toEqual(ok);
  });

  it('an owner that is not the controller does not make a pod managed', () => {
    const p = pod('x');
    p.metadata.ownerReferences![0]!.controller = false;
    expect(decide(p)).toEqual({ delete: false, reason: 'ERROR', message: UNMANAGED_FATAL });
  });
});
