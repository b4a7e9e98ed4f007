import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/gateway-config.js';
import type { AuditEntry } from '../../src/sim/audit.js';
import { workerNodePicker } from '../drain/drain-e2e-support.js';
import { waitFor } from '../support/wait-for.js';
import { type SimCluster, startGateway, startSimCluster, type TestGateway } from './harness.js';
import {
  CORDON_WITH_REASON,
  NODE_EDIT_STATE,
  SET_NODE_LABELS,
  SET_NODE_TAINTS,
  UNCORDON_WITH_RECORD,
} from './operations/node-edits.js';

const run = promisify(execFile);

interface KubectlNode {
  metadata: {
    resourceVersion: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
}

const REASON = 'kube-node-gateway.io/cordon-reason';
const BY = 'kube-node-gateway.io/cordoned-by';
const AT = 'kube-node-gateway.io/cordoned-at';

/**
 * Label, taint and cordon-record edits end to end, kubectl as the referee: what the gateway
 * writes shows in `kubectl get node -o json`, an edit based on a version kubectl has since
 * changed is CONFLICT and leaves kubectl's change alone, and bad input never reaches the API.
 * The caller is bob (a bearer token checked by TokenReview), so cordon records say who.
 */
describe('node label, taint and cordon-record edits (simulator, kubectl as referee)', () => {
  let cluster: SimCluster;
  let gateway: TestGateway;

  beforeAll(async () => {
    cluster = await startSimCluster({
      nodes: 8,
      pods: 40,
      seed: 1515,
      tokens: [{ token: 'bob-token', user: 'bob', uid: 'u-bob', groups: ['operators'] }],
    });
    gateway = await startGateway({
      kubeconfigPath: cluster.kubeconfigPath,
      config: { auth: { ...DEFAULT_CONFIG.auth, mode: 'kubernetes' } },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await cluster?.stop();
  });

  const bob = () => gateway.as('bob-token');
  /** A worker node no other test of this file has touched. */
  const freshNode = workerNodePicker(() => cluster.sim);
  const kubectl = (...args: string[]) =>
    run('kubectl', ['--kubeconfig', cluster.kubeconfigPath, ...args], { timeout: 30_000 });
  const kubectlNode = async (name: string) =>
    JSON.parse((await kubectl('get', 'node', name, '-o', 'json')).stdout) as KubectlNode;
  const state = async (name: string) => (await bob().query(NODE_EDIT_STATE, { name })).data?.nodeByName;
  /** Waits until the gateway's cache holds the version kubectl sees. */
  const cacheCaughtUp = async (name: string) => {
    const rv = (await kubectlNode(name)).metadata.resourceVersion;
    await waitFor(async () => (await state(name))?.resourceVersion === rv, { timeoutMs: 10_000 });
    return rv;
  };
  const apiCallsDuring = async (body: () => Promise<void>) => {
    const before = cluster.sim.audit.entries().length;
    await body();
    const review = (e: AuditEntry) => ['tokenreviews', 'subjectaccessreviews'].includes(e.resource);
    return cluster.sim.audit
      .entries()
      .slice(before)
      .filter((e) => !review(e) && e.resource !== '');
  };

  it('sets and removes labels in one patch; kubectl sees them, the answer is the patched node', async () => {
    const name = freshNode();
    await kubectl('label', 'node', name, 'team=old', 'doomed=yes');
    const rv = await cacheCaughtUp(name);
    const res = await bob().query(SET_NODE_LABELS, {
      name,
      set: [
        { key: 'team', value: 'storage' },
        { key: 'example.com/tier', value: '' },
        { key: 'node-role.kubernetes.io/storage', value: '' },
      ],
      remove: ['doomed', 'never-there'],
      resourceVersion: rv,
    });
    expect(res.errors).toBeUndefined();
    const labels = (await kubectlNode(name)).metadata.labels ?? {};
    expect(labels).toMatchObject({
      team: 'storage',
      'example.com/tier': '',
      'node-role.kubernetes.io/storage': '',
    });
    expect(labels).not.toHaveProperty('doomed');
    const answer = res.data?.setNodeLabels;
    expect(answer?.resourceVersion).toBe((await kubectlNode(name)).metadata.resourceVersion);
    expect(answer?.labels).toEqual(expect.arrayContaining([{ key: 'team', value: 'storage' }]));
    expect(answer?.labels.some((l) => l.key === 'doomed')).toBe(false);
  });

  it('an edit based on a version kubectl has changed since is CONFLICT and overwrites nothing', async () => {
    const name = freshNode();
    const before = await cacheCaughtUp(name);
    await kubectl('label', 'node', name, 'team=from-kubectl');
    const labels = await bob().query(SET_NODE_LABELS, {
      name,
      set: [{ key: 'team', value: 'from-gateway' }],
      resourceVersion: before,
    });
    expect(labels.data?.setNodeLabels ?? null).toBeNull();
    expect(labels.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await kubectlNode(name)).metadata.labels?.team).toBe('from-kubectl');

    await kubectl('taint', 'node', name, 'kubectl=yes:NoSchedule');
    const taints = await bob().query(SET_NODE_TAINTS, {
      name,
      set: [{ key: 'gateway', effect: 'NoSchedule' }],
      resourceVersion: before,
    });
    expect(taints.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await kubectlNode(name)).spec.taints).toEqual([
      { key: 'kubectl', value: 'yes', effect: 'NoSchedule' },
    ]);
  });

  it('adds, replaces and removes taints; omitted resourceVersion = the cached one', async () => {
    const name = freshNode();
    await kubectl('taint', 'node', name, 'keep=1:PreferNoSchedule', 'gone=x:NoSchedule', 'gone=y:NoExecute');
    const rv = await cacheCaughtUp(name);
    const added = await bob().query(SET_NODE_TAINTS, {
      name,
      set: [
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'keep', value: '2', effect: 'PreferNoSchedule' },
      ],
      remove: [{ key: 'gone' }],
      resourceVersion: rv,
    });
    expect(added.errors).toBeUndefined();
    expect((await kubectlNode(name)).spec.taints).toEqual([
      { key: 'keep', value: '2', effect: 'PreferNoSchedule' },
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ]);

    await cacheCaughtUp(name);
    const removed = await bob().query(SET_NODE_TAINTS, {
      name,
      set: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      remove: [
        { key: 'keep', effect: 'PreferNoSchedule' },
        { key: 'dedicated', effect: 'NoExecute' },
      ],
    });
    expect(removed.errors).toBeUndefined();
    expect(removed.data?.setNodeTaints?.taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', value: null, effect: 'NoSchedule' },
    ]);
    expect((await kubectlNode(name)).spec.taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
  });

  it('cordon with a reason records reason, who and when; uncordon clears them; kubectl cordon records none', async () => {
    const name = freshNode();
    const cordoned = await bob().query(CORDON_WITH_REASON, {
      name,
      reason: 'DIMM errors on slot 3 (INC-4711)',
    });
    expect(cordoned.errors).toBeUndefined();
    const annotations = (await kubectlNode(name)).metadata.annotations ?? {};
    expect((await kubectlNode(name)).spec.unschedulable).toBe(true);
    expect(annotations[REASON]).toBe('DIMM errors on slot 3 (INC-4711)');
    expect(annotations[BY]).toBe('bob');
    expect(Date.parse(annotations[AT] ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(cordoned.data?.cordonNode?.cordon).toEqual({
      reason: 'DIMM errors on slot 3 (INC-4711)',
      by: 'bob',
      at: annotations[AT],
    });

    const uncordoned = await bob().query(UNCORDON_WITH_RECORD, { name });
    expect(uncordoned.data?.uncordonNode?.cordon).toBeNull();
    const after = await kubectlNode(name);
    expect(after.spec.unschedulable).toBeUndefined();
    expect(
      Object.keys(after.metadata.annotations ?? {}).filter((k) => k.startsWith('kube-node-gateway.io/')),
    ).toEqual([]);

    await kubectl('cordon', name);
    await waitFor(async () => (await state(name))?.schedulable === false, { timeoutMs: 10_000 });
    expect((await state(name))?.cordon).toEqual({ reason: null, by: null, at: null });
    await kubectl('uncordon', name);
    await waitFor(async () => (await state(name))?.schedulable === true, { timeoutMs: 10_000 });
    expect((await state(name))?.cordon).toBeNull();
  });

  it('refuses hostile input with BAD_USER_INPUT before any API call', async () => {
    const name = freshNode();
    const rv = await cacheCaughtUp(name);
    const cases: [
      string,
      () => Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[] }>,
      string,
    ][] = [
      [
        'label key with a space',
        () => bob().query(SET_NODE_LABELS, { name, set: [{ key: 'a b', value: 'x' }] }),
        'IsQualifiedName',
      ],
      [
        'label key prefix not a subdomain',
        () => bob().query(SET_NODE_LABELS, { name, set: [{ key: 'Example.COM/x', value: 'x' }] }),
        'IsQualifiedName',
      ],
      [
        '64-character label value',
        () => bob().query(SET_NODE_LABELS, { name, set: [{ key: 'ok', value: 'v'.repeat(64) }] }),
        'IsValidLabelValue',
      ],
      [
        'reserved label',
        () => bob().query(SET_NODE_LABELS, { name, set: [{ key: 'kubernetes.io/hostname', value: 'evil' }] }),
        'ReservedPrefix',
      ],
      [
        'reserved label removal',
        () => bob().query(SET_NODE_LABELS, { name, remove: ['topology.kubernetes.io/zone'] }),
        'ReservedPrefix',
      ],
      [
        'label set and removed',
        () => bob().query(SET_NODE_LABELS, { name, set: [{ key: 'a', value: '1' }], remove: ['a'] }),
        'Duplicate',
      ],
      [
        'nothing to change',
        () => bob().query(SET_NODE_LABELS, { name, set: [], remove: [] }),
        'NothingToChange',
      ],
      [
        'bad taint effect',
        () => bob().query(SET_NODE_TAINTS, { name, set: [{ key: 'k', effect: 'NoScheduleX' }] }),
        'TaintEffect',
      ],
      [
        '64-character taint value',
        () =>
          bob().query(SET_NODE_TAINTS, {
            name,
            set: [{ key: 'k', value: 'v'.repeat(64), effect: 'NoSchedule' }],
          }),
        'IsValidLabelValue',
      ],
      [
        'duplicate taint key and effect',
        () =>
          bob().query(SET_NODE_TAINTS, {
            name,
            set: [
              { key: 'k', effect: 'NoSchedule' },
              { key: 'k', value: 'b', effect: 'NoSchedule' },
            ],
          }),
        'Duplicate',
      ],
      [
        'reserved taint',
        () => bob().query(SET_NODE_TAINTS, { name, remove: [{ key: 'node.kubernetes.io/unreachable' }] }),
        'ReservedPrefix',
      ],
      [
        '10 KB resourceVersion',
        () =>
          bob().query(SET_NODE_LABELS, {
            name,
            set: [{ key: 'a', value: '1' }],
            resourceVersion: '9'.repeat(10_000),
          }),
        'ResourceVersion',
      ],
      [
        'reason with a newline',
        () => bob().query(CORDON_WITH_REASON, { name, reason: 'fine\nkubectl-ok' }),
        'CordonReason',
      ],
      [
        'reason with ESC',
        () => bob().query(CORDON_WITH_REASON, { name, reason: 'red \u001b[31m alert' }),
        'CordonReason',
      ],
      [
        'reason with a bidi override',
        () => bob().query(CORDON_WITH_REASON, { name, reason: 'abc\u202edcba' }),
        'CordonReason',
      ],
      [
        '10 KB reason',
        () => bob().query(CORDON_WITH_REASON, { name, reason: 'r'.repeat(10_000) }),
        'CordonReason',
      ],
    ];
    const calls = await apiCallsDuring(async () => {
      for (const [label, send, rule] of cases) {
        const res = await send();
        expect(res.errors?.[0]?.extensions, label).toMatchObject({ code: 'BAD_USER_INPUT', rule });
        expect(JSON.stringify(res).length, label).toBeLessThan(2000);
      }
    });
    expect(calls).toEqual([]);
    const node = await kubectlNode(name);
    expect(node.metadata.resourceVersion).toBe(rv);
    expect(node.spec.unschedulable).toBeUndefined();
  });
});
