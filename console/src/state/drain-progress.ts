import { requestData, subscribe } from '../api/client.js';
import type { ConsoleDrainProgressSubscription, DrainPodStatus } from '../gql/graphql.js';
import { CONSOLE_DRAIN_PODS, CONSOLE_DRAIN_PROGRESS } from '../operations.js';
import { messageOf } from './live-nodes.js';

type ProgressEvent = ConsoleDrainProgressSubscription['drainProgress'];
export type DrainCounts = ProgressEvent['job']['counts'];

export interface DrainPodView {
  namespace: string;
  name: string;
  status: DrainPodStatus;
  message?: string | null;
}

export interface DrainView {
  id: string;
  node: string;
  state: string;
  counts?: DrainCounts;
  pods: readonly DrainPodView[];
  /** The newest step, as the job words it. */
  lastMessage?: string | null;
  error?: string | null;
}

const POD_STATUS_OF_EVENT: Partial<Record<string, DrainPodStatus>> = {
  POD_EVICTING: 'EVICTING',
  POD_BLOCKED: 'BLOCKED',
  POD_EVICTED: 'EVICTING',
  POD_DELETED: 'DELETED',
  POD_FAILED: 'FAILED',
  POD_SKIPPED: 'SKIPPED',
};

/**
 * Follows one drain: drainProgress streams the steps; the pod list comes from drainJob at the
 * snapshot and once planned, then each pod step updates its row (BLOCKED with the PDB's words).
 */
export function followDrain(id: string, node: string, onChange: (view: DrainView) => void): () => void {
  let view: DrainView = { id, node, state: 'PENDING', pods: [] };
  const pods = new Map<string, DrainPodView>();
  const emit = () => {
    view = { ...view, pods: [...pods.values()] };
    onChange(view);
  };
  const loadPods = () =>
    requestData(CONSOLE_DRAIN_PODS, { id })
      .then((data) => {
        const job = data.drainJob;
        if (!job) return;
        for (const p of job.pods) {
          const key = `${p.namespace}/${p.name}`;
          // A step seen while this read was in flight is newer than the read.
          if (!pods.has(key) || pods.get(key)?.status === 'PENDING') pods.set(key, p);
        }
        view = { ...view, counts: job.counts, error: job.error };
        emit();
      })
      .catch((err: unknown) => {
        view = { ...view, error: messageOf(err) };
        emit();
      });
  return subscribe(
    CONSOLE_DRAIN_PROGRESS,
    { id },
    {
      next: (result) => {
        const event = result.data?.drainProgress;
        if (!event) {
          view = { ...view, error: result.errors?.[0]?.message };
          emit();
          return;
        }
        view = {
          ...view,
          state: event.state,
          counts: event.job.counts,
          lastMessage: event.message,
          error: event.job.error,
        };
        if (event.kind === 'JOB_SNAPSHOT' || event.kind === 'PODS_PLANNED') void loadPods();
        const status = POD_STATUS_OF_EVENT[event.kind];
        if (status && event.pod) {
          const key = `${event.pod.namespace}/${event.pod.name}`;
          pods.set(key, { ...event.pod, status, message: event.message });
        }
        emit();
      },
      error: (err) => {
        view = { ...view, error: messageOf(err) };
        emit();
      },
      complete: () => emit(),
    },
  );
}
