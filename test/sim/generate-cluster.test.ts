import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type GenerateOptions,
  generateCluster,
  generateClusterInto,
} from '../../src/sim/generate-cluster.js';
import type { KubeObject } from '../../src/sim/kube-object.js';
import type { ResourceName } from '../../src/sim/resources.js';

/** A fixed instant mid-day (UTC), so the default epoch (start of the UTC day) and heartbeat are pinned too. */
const FIXED_NOW = Date.UTC(2025, 2, 14, 9, 26, 53);

/**
 * Every object in the order the generator emits it, as JSON: plain JSON.stringify keeps key order, so the
 * digest changes if any value, any key order or the interleaving of kinds changes.
 */
function clusterDigest(opts: GenerateOptions): {
  sha256: string;
  counts: Partial<Record<ResourceName, number>>;
} {
  const hash = createHash('sha256');
  const counts: Partial<Record<ResourceName, number>> = {};
  generateClusterInto(opts, (resource, obj) => {
    counts[resource] = (counts[resource] ?? 0) + 1;
    hash.update(`${resource}\t${JSON.stringify(obj)}\n`);
  });
  return { sha256: hash.digest('hex'), counts };
}

// Digests computed on the single-function generator before it was split into per-kind generators.
const GOLDEN: Array<{ what: string; opts: GenerateOptions; sha256: string }> = [
  {
    what: 'no nodes: namespaces only',
    opts: { nodes: 0, pods: 50, seed: 1 },
    sha256: 'f2948c090466e0ef4dba55c060c99e50e29869fd5a52847b4b56f2f352283fff',
  },
  {
    what: '3 nodes, no control plane',
    opts: { nodes: 3, pods: 40, seed: 1 },
    sha256: 'bbff4d8c92f51628f0ea1bee4934a72b40830dd0c245474345055c4d0b678c18',
  },
  {
    what: 'fewer pods than mirror pods',
    opts: { nodes: 10, pods: 5, seed: 3 },
    sha256: '90a69f9d891cc19cd78ae5ee478b6a12b69bd1dba8085526fc3cfa76f7c54c94',
  },
  {
    what: '5 nodes, one control-plane node',
    opts: { nodes: 5, pods: 90, seed: 2 },
    sha256: '9e7910952b59ab50ab83ab7f7984b200d19d2cf092b5ddfd6903d688e014547d',
  },
  {
    what: '12 nodes, three control-plane nodes',
    opts: { nodes: 12, pods: 400, seed: 7 },
    sha256: '8aef017088c9b6ac3482d4c2c09a755769615f9d8d7b8c549313c90a6b447062',
  },
  {
    what: '130 nodes with cordoned and NotReady workers, all DaemonSets, PDBs and Pending pods',
    opts: { nodes: 130, pods: 2200, seed: 42 },
    sha256: '6268b9d6739c974a7221d0b0c947d8a483a687245a4c10c0a9b1ff0decef2a07',
  },
];

describe('generateClusterInto', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(GOLDEN)('is byte-for-byte stable for a seed: $what', ({ opts, sha256 }) => {
    vi.useFakeTimers({ now: FIXED_NOW, toFake: ['Date'] });
    expect(clusterDigest(opts).sha256).toBe(sha256);
  });

  it('an explicit epoch and heartbeat give the same cluster as the pinned clock', () => {
    const dayStart = Date.UTC(2025, 2, 14);
    const explicit = clusterDigest({
      nodes: 12,
      pods: 400,
      seed: 7,
      epochMs: dayStart,
      heartbeatMs: FIXED_NOW,
    });
    vi.useFakeTimers({ now: FIXED_NOW, toFake: ['Date'] });
    expect(explicit.sha256).toBe(clusterDigest({ nodes: 12, pods: 400, seed: 7 }).sha256);
  });

  it('the largest golden case contains every kind of object the generator makes', () => {
    const cluster = generateCluster({ nodes: 130, pods: 2200, seed: 42, epochMs: 0, heartbeatMs: 0 });
    const phase = (p: KubeObject): unknown => (p.status as { phase?: string }).phase;
    expect({
      namespaces: cluster.namespaces.length,
      nodes: cluster.nodes.length,
      cordoned: cluster.nodes.filter((n) => (n.spec as { unschedulable?: boolean }).unschedulable).length,
      notReady: cluster.nodes.filter((n) => JSON.stringify(n).includes('NodeStatusUnknown')).length,
      daemonsets: cluster.daemonsets.length,
      pods: cluster.pods.length,
      mirror: cluster.pods.filter((p) => p.metadata?.annotations?.['kubernetes.io/config.mirror']).length,
      bare: cluster.pods.filter((p) => !p.metadata?.ownerReferences).length,
      succeeded: cluster.pods.filter((p) => phase(p) === 'Succeeded').length,
      failed: cluster.pods.filter((p) => phase(p) === 'Failed').length,
      pending: cluster.pods.filter((p) => phase(p) === 'Pending').length,
    }).toEqual({
      namespaces: 13,
      nodes: 130,
      cordoned: 1,
      notReady: 1,
      daemonsets: 4,
      pods: 2200,
      mirror: 12,
      bare: 33,
      succeeded: 33,
      failed: 16,
      pending: 5,
    });
    expect(cluster.replicasets.length).toBeGreaterThan(0);
    expect(cluster.poddisruptionbudgets.length).toBeGreaterThan(0);
  });

  it('a different seed gives a different cluster', () => {
    const a = clusterDigest({ nodes: 5, pods: 90, seed: 2, epochMs: 0, heartbeatMs: 0 });
    const b = clusterDigest({ nodes: 5, pods: 90, seed: 3, epochMs: 0, heartbeatMs: 0 });
    expect(a.sha256).not.toBe(b.sha256);
  });
});
