import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/clusters/kube-api-error.js';
import type { PodsOnNode, PodWatch, PodWatchEvent } from '../../src/drain/drain-cluster-api.js';
import { PodDeletionWatch } from '../../src/drain/pod-deletion-watch.js';
import type { KubePod } from '../../src/pods/kube-pod.js';
import { pod } from './fake-drain-api.js';

/** A watch the test feeds by hand; `end` closes it as a server's timeoutSeconds would. */
class ScriptedWatch implements PodWatch {
  private readonly queue: (PodWatchEvent | 'end')[] = [];
  private wake: (() => void) | undefined;
  closed = false;
  readonly events: AsyncIterable<PodWatchEvent> = {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<PodWatchEvent>> => {
        for (;;) {
          const item = this.queue.shift();
          if (item === 'end' || this.closed) return { done: true, value: undefined };
          if (item) return { done: false, value: item };
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
      },
    }),
  };
  push(item: PodWatchEvent | 'end'): void {
    this.queue.push(item);
    this.wake?.();
  }
  close(): void {
    this.closed = true;
    this.wake?.();
  }
}

function scriptedApi(listed: () => PodsOnNode) {
  const opened: { resourceVersion: string; watch: ScriptedWatch }[] = [];
  const failures: KubeApiError[] = [];
  let lists = 0;
  return {
    opened,
    failures,
    get lists() {
      return lists;
    },
    async watchPodsOnNode(_node: string, resourceVersion: string): Promise<PodWatch> {
      const failure = failures.shift();
      if (failure) throw failure;
      const watch = new ScriptedWatch();
      opened.push({ resourceVersion, watch });
      return watch;
    },
    async listPodsOnNode(): Promise<PodsOnNode> {
      lists++;
      return listed();
    },
  };
}

const withVersion = (p: KubePod, rv: string): KubePod => ({
  ...p,
  metadata: { ...p.metadata, resourceVersion: rv },
});

describe('PodDeletionWatch', () => {
  it('tells a waiter its pod is gone from one watch, and resumes from the last resourceVersion', async () => {
    const [a, b] = [pod('a'), pod('b')];
    const api = scriptedApi(() => ({ pods: [], resourceVersion: '1' }));
    const abort = new AbortController();
    const watch = new PodDeletionWatch({
      api,
      node: 'node-1',
      pods: [a, b],
      resourceVersion: '10',
      signal: abort.signal,
      retryDelayMs: 1,
    });
    watch.start();
    await expect.poll(() => api.opened.length).toBe(1);
    expect(api.opened[0]?.resourceVersion).toBe('10');
    expect(watch.fateOf(a)).toBeUndefined();
    const changed = watch.changed(a, 10_000);
    api.opened[0]?.watch.push({ type: 'DELETED', object: withVersion(a, '11') });
    await changed;
    expect(watch.fateOf(a)).toBe('deleted');
    api.opened[0]?.watch.push('end');
    await expect.poll(() => api.opened.length).toBe(2);
    expect(api.opened[1]?.resourceVersion).toBe('11');
    // A pod of the same name with another uid counts as replaced.
    api.opened[1]?.watch.push({
      type: 'ADDED',
      object: withVersion({ ...b, metadata: { ...b.metadata, uid: 'new' } }, '12'),
    });
    await expect.poll(() => watch.fateOf(b)).toBe('replaced');
    await watch.stop();
    expect(api.opened.every((o) => o.watch.closed)).toBe(true);
    expect(api.lists).toBe(0);
  });

  it('relists when the resourceVersion expired (410) and learns of pods gone meanwhile', async () => {
    const [a, b] = [pod('a'), pod('b')];
    const api = scriptedApi(() => ({ pods: [b], resourceVersion: '50' }));
    api.failures.push(new KubeApiError('GONE', 'too old resource version', 410));
    const watch = new PodDeletionWatch({
      api,
      node: 'node-1',
      pods: [a, b],
      resourceVersion: '10',
      signal: new AbortController().signal,
      retryDelayMs: 1,
    });
    watch.start();
    await expect.poll(() => api.opened.length).toBe(1);
    expect(api.lists).toBe(1);
    expect(api.opened[0]?.resourceVersion).toBe('50');
    expect(watch.fateOf(a)).toBe('deleted');
    expect(watch.fateOf(b)).toBeUndefined();
    // An ERROR event with a 410 Status also relists.
    api.opened[0]?.watch.push({ type: 'ERROR', object: { metadata: {}, code: 410, message: 'expired' } });
    await expect.poll(() => api.lists).toBe(2);
    await watch.stop();
  });

  it('turns unavailable when the watch is refused (403), so callers poll; retries other failures', async () => {
    const a = pod('a');
    const api = scriptedApi(() => ({ pods: [], resourceVersion: '1' }));
    api.failures.push(new KubeApiError('UNAVAILABLE', 'connection refused', 0));
    api.failures.push(new KubeApiError('FORBIDDEN', 'pods is forbidden: cannot watch', 403));
    const watch = new PodDeletionWatch({
      api,
      node: 'node-1',
      pods: [a],
      resourceVersion: '1',
      signal: new AbortController().signal,
      retryDelayMs: 1,
    });
    watch.start();
    const waiting = watch.changed(a, 10_000);
    await expect.poll(() => watch.available).toBe(false);
    await waiting; // woken, not left hanging
    await watch.stop();
    expect(api.opened).toEqual([]);
  });
});
