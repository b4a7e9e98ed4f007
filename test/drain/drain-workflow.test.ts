import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/clusters/kube-api-error.js';
import { DEFAULT_DRAIN_OPTIONS, type DrainOptions } from '../../src/drain/drain-options.js';
import { runDrainWorkflow } from '../../src/drain/drain-workflow.js';
import { FAST_DRAIN_TIMINGS } from '../support/drain-timings.js';
import { FakeDrainApi, pod, tooManyRequests } from './fake-drain-api.js';
import { RecordingReporter } from './recording-reporter.js';

function drain(
  api: FakeDrainApi,
  options: Partial<DrainOptions> = {},
  extra: { signal?: AbortSignal; deadline?: number } = {},
) {
  const reporter = new RecordingReporter();
  const result = runDrainWorkflow({
    api,
    node: 'node-1',
    options: { ...DEFAULT_DRAIN_OPTIONS, ...options },
    timings: FAST_DRAIN_TIMINGS,
    reporter,
    signal: extra.signal ?? new AbortController().signal,
    deadline: extra.deadline ?? null,
  });
  return { reporter, result };
}

describe('runDrainWorkflow', () => {
  it('cordons, then lists, then evicts and waits for each evictable pod', async () => {
    const api = new FakeDrainApi();
    api.daemonSets.add('kube-system/kube-proxy');
    api.addPods(
      pod('web-1'),
      pod('web-2'),
      pod('proxy', { namespace: 'kube-system', owner: 'DaemonSet', ownerName: 'kube-proxy' }),
      pod('etcd', { namespace: 'kube-system', owner: 'none', mirror: true }),
      pod('other-node', { node: 'node-2' }),
    );
    const { reporter, result } = drain(api);
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(api.calls.slice(0, 3)).toEqual([
      'patch node-1 unschedulable=true',
      'list node-1',
      'get daemonset kube-system/kube-proxy',
    ]);
    expect(api.callsOf('evict').sort()).toEqual(['evict default/web-1', 'evict default/web-2']);
    expect([...api.pods.keys()].sort()).toEqual([
      'default/other-node',
      'kube-system/etcd',
      'kube-system/proxy',
    ]);
    expect(reporter.linesAbout('web-1')).toEqual([
      'evicting web-1 #1',
      'evicted web-1',
      'deleted web-1: deleted',
    ]);
    expect(reporter.lines.slice(0, 5)).toEqual([
      'phase CORDONING',
      'cordoned',
      'phase PLANNING',
      'planned 2 errors=0',
      'phase EVICTING',
    ]);
  });

  it('fails before touching any pod when a filter reports an error', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'), pod('cache', { emptyDir: true }), pod('bare', { owner: 'none' }));
    const { reporter, result } = drain(api);
    expect(await result).toEqual({
      kind: 'failed',
      error:
        'cannot delete Pods with local storage (use deleteEmptyDirData: true to override): default/cache; ' +
        'cannot delete Pods that declare no controller (use force: true to override): default/bare',
    });
    expect(api.callsOf('evict')).toEqual([]);
    expect(reporter.lines).not.toContain('phase EVICTING');
  });

  it('retries an eviction a budget refuses, reporting each refusal with its message', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'));
    api.evictionRule = (_p, attempt) =>
      attempt < 3 ? tooManyRequests('budget web-pdb allows 0 disruptions') : undefined;
    const { reporter, result } = drain(api);
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(reporter.linesAbout('web')).toEqual([
      'evicting web #1',
      'blocked web #1: budget web-pdb allows 0 disruptions',
      'evicting web #2',
      'blocked web #2: budget web-pdb allows 0 disruptions',
      'evicting web #3',
      'evicted web',
      'deleted web: deleted',
    ]);
  });

  it('gives up at the deadline while a budget keeps refusing', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'), pod('free'));
    api.evictionRule = (p) => (p.metadata.name === 'web' ? tooManyRequests() : undefined);
    const { reporter, result } = drain(api, { timeoutSeconds: 1 }, { deadline: Date.now() + 100 });
    expect(await result).toEqual({ kind: 'failed', error: '1 pod(s) could not be drained: default/web' });
    expect(reporter.linesAbout('web').at(-1)).toBe(
      'failed web: global timeout reached while evicting (timeoutSeconds: 1)',
    );
    expect(api.pods.has('default/free')).toBe(false);
  });

  it('treats 404 on eviction as already gone', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'));
    api.failures.set('evict', [new KubeApiError('NOT_FOUND', 'pods "web" not found', 404)]);
    const { reporter, result } = drain(api);
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(reporter.linesAbout('web')).toEqual(['evicting web #1', 'gone web']);
  });

  it('waits until a terminating pod is gone, polling', async () => {
    const api = new FakeDrainApi();
    api.terminationPolls = 3;
    api.addPods(pod('web'));
    const { result } = drain(api);
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(api.callsOf('get default/web')).toHaveLength(4);
  });

  it('counts a pod replaced under the same name (new uid) as deleted', async () => {
    const api = new FakeDrainApi();
    const original = pod('db-0');
    api.addPods(original);
    api.afterRemoval = () =>
      api.addPods({ ...pod('db-0'), metadata: { ...original.metadata, uid: 'new-uid' } });
    const { reporter, result } = drain(api);
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(reporter.linesAbout('db-0').at(-1)).toBe('deleted db-0: deleted and replaced by a new pod');
  });

  it('deletes instead of evicting with disableEviction, with the grace period', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'));
    api.evictionRule = () => tooManyRequests();
    const { result } = drain(api, { disableEviction: true, gracePeriodSeconds: 7 });
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(api.callsOf('evict')).toEqual([]);
    expect(api.callsOf('delete')).toEqual(['delete default/web grace=7']);
  });

  it('dryRun plans and reports but writes nothing', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'), pod('bare', { owner: 'none' }));
    const { reporter, result } = drain(api, { dryRun: true, force: true });
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(api.calls).toEqual(['list node-1']);
    expect(reporter.plan?.toEvict).toHaveLength(2);
  });

  it('retries transient errors of cordon and eviction a bounded number of times', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'), pod('flaky'));
    const unavailable = () => new KubeApiError('UNAVAILABLE', 'connection refused', 0);
    api.failures.set('patch', [unavailable()]);
    api.failures.set('evict default/flaky', [unavailable(), unavailable(), unavailable()]);
    const { reporter, result } = drain(api);
    expect(await result).toEqual({ kind: 'failed', error: '1 pod(s) could not be drained: default/flaky' });
    expect(api.callsOf('patch')).toHaveLength(2);
    expect(api.callsOf('evict default/flaky')).toHaveLength(3);
    expect(reporter.linesAbout('flaky').at(-1)).toBe('failed flaky: connection refused');
  });

  it('fails the pod on an error that retrying cannot fix', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'));
    api.failures.set('evict', [new KubeApiError('FORBIDDEN', 'pods/eviction is forbidden', 403)]);
    const { result } = drain(api);
    expect(await result).toEqual({ kind: 'failed', error: '1 pod(s) could not be drained: default/web' });
    expect(api.callsOf('evict')).toHaveLength(1);
  });

  it('a failed cordon fails the drain, naming the step', async () => {
    const api = new FakeDrainApi();
    api.failures.set('patch', [new KubeApiError('FORBIDDEN', 'nodes "node-1" is forbidden', 403)]);
    const { result } = drain(api);
    expect(await result).toEqual({
      kind: 'failed',
      error: 'cordoning node node-1: nodes "node-1" is forbidden',
    });
    expect(api.callsOf('list')).toEqual([]);
  });

  it('stops sending evictions once the signal fires', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('blocked'), ...Array.from({ length: 5 }, (_, i) => pod(`web-${i}`)));
    api.evictionRule = (p) => (p.metadata.name === 'blocked' ? tooManyRequests() : undefined);
    const abort = new AbortController();
    const { reporter, result } = drain(api, {}, { signal: abort.signal });
    reporter.onLine = (line) => {
      if (line.startsWith('blocked blocked #2')) abort.abort();
    };
    expect(await result).toEqual({ kind: 'stopped' });
    expect(api.callsOf('evict default/blocked')).toHaveLength(2);
  });

  it('skips waiting for a pod stuck terminating longer than skipWaitForDeleteTimeoutSeconds', async () => {
    const api = new FakeDrainApi();
    api.terminationPolls = 1000;
    const stuck = pod('stuck');
    api.addPods(stuck);
    api.evictionRule = () => {
      stuck.metadata.deletionTimestamp = new Date(Date.now() - 120_000).toISOString();
      return undefined;
    };
    const { reporter, result } = drain(api, { skipWaitForDeleteTimeoutSeconds: 60 });
    expect(await result).toEqual({ kind: 'succeeded' });
    expect(reporter.linesAbout('stuck').at(-1)).toBe(
      'skipped stuck: still terminating after 60s; not waiting (skipWaitForDeleteTimeoutSeconds)',
    );
  });

  it('drains only the pods matching podSelector (the selector goes to the lister)', async () => {
    const api = new FakeDrainApi();
    api.addPods(pod('web'));
    const { result } = drain(api, { podSelector: 'app=web' });
    await result;
    expect(api.callsOf('list')).toEqual(['list node-1 app=web']);
  });
});
