import { useEffect, useState } from 'preact/hooks';
import { requestData } from '../api/client.js';
import { age } from '../format.js';
import type { ConsoleNodeDetailQuery } from '../gql/graphql.js';
import { CONSOLE_NODE_DETAIL } from '../operations.js';
import { messageOf } from '../state/live-nodes.js';

type Detail = NonNullable<ConsoleNodeDetailQuery['nodeByName']>;

/** One node in full: conditions, labels, taints, capacity, its pods (a fresh read on open). */
export function NodeDrawer({
  cluster,
  name,
  version,
  onClose,
}: {
  cluster: string | undefined;
  name: string;
  /** Bumped when the node changes, so the drawer re-reads it. */
  version: string | undefined;
  onClose: () => void;
}) {
  const [detail, setDetail] = useState<Detail | null | undefined>(undefined);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    requestData(CONSOLE_NODE_DETAIL, { cluster, name })
      .then((data) => current && setDetail(data.nodeByName))
      .catch((err: unknown) => current && setError(messageOf(err)));
    return () => {
      current = false;
    };
  }, [cluster, name, version]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside class="drawer" aria-label={`Node ${name}`}>
      <header>
        <h2>{name}</h2>
        <button type="button" onClick={onClose} aria-label="Close node details">
          ×
        </button>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {detail === null && <p>This node no longer exists.</p>}
      {detail && <DetailBody detail={detail} />}
    </aside>
  );
}

function DetailBody({ detail }: { detail: Detail }) {
  const resources = ['cpu', 'memory', 'ephemeralStorage', 'pods'] as const;
  const pods = detail.pods;
  return (
    <div class="detail">
      <p>
        <span class="status" data-status={detail.status}>
          {detail.status}
        </span>{' '}
        {detail.nodeInfo.kubeletVersion} · {detail.internalIP ?? 'no address'} · age {age(detail.createdAt)}
      </p>
      {detail.cordon && (
        <p class="cordon-record">
          Cordoned{detail.cordon.by ? ` by ${detail.cordon.by}` : ''}
          {detail.cordon.at ? ` ${age(detail.cordon.at)} ago` : ''}
          {detail.cordon.reason ? `: ${detail.cordon.reason}` : ' (no reason recorded)'}
        </p>
      )}
      <h3>Conditions</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {detail.conditions.map((c) => (
            <tr key={c.type} title={c.message ?? undefined}>
              <td>{c.type}</td>
              <td>{c.status}</td>
              <td>{c.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Capacity and allocatable</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Capacity</th>
            <th scope="col">Allocatable</th>
          </tr>
        </thead>
        <tbody>
          {resources.map((r) => (
            <tr key={r}>
              <td>{r}</td>
              <td>{detail.capacity[r]}</td>
              <td>{detail.allocatable[r]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Allocated (of allocatable)</h3>
      {detail.allocated ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Requests</th>
              <th scope="col">Limits</th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {(['cpu', 'memory'] as const).map((r) => (
              <tr key={r}>
                <td>{r}</td>
                <td>{amount(detail.allocated?.requests[r])}</td>
                <td>{amount(detail.allocated?.limits[r])}</td>
                <td>{detail.usage ? amount(detail.usage[r]) : 'no metrics'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>You may not list pods, so requests are unknown.</p>
      )}
      <h3>Events</h3>
      {!detail.events ? (
        <p>You may not list events.</p>
      ) : detail.events.nodes.length === 0 ? (
        <p>none recent</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Age</th>
              <th scope="col">Type</th>
              <th scope="col">Reason</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {detail.events.nodes.map((e, i) => (
              <tr key={`${e.reason}:${e.lastSeen}:${i}`}>
                <td>{age(e.lastSeen)}</td>
                <td>{e.type}</td>
                <td>{e.reason}</td>
                <td>
                  {e.message}
                  {e.count > 1 ? ` (×${e.count})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Taints</h3>
      {detail.taints.length === 0 ? (
        <p>none</p>
      ) : (
        <ul class="chips">
          {detail.taints.map((t) => (
            <li key={`${t.key}:${t.effect}`}>
              {t.key}
              {t.value ? `=${t.value}` : ''}:{t.effect}
            </li>
          ))}
        </ul>
      )}
      <h3>Labels</h3>
      <ul class="chips">
        {detail.labels.map((l) => (
          <li key={l.key}>
            {l.key}={l.value}
          </li>
        ))}
      </ul>
      <h3>Pods ({pods?.totalCount ?? 'unknown'})</h3>
      {pods ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Name</th>
              <th scope="col">Phase</th>
              <th scope="col" class="num">
                Restarts
              </th>
            </tr>
          </thead>
          <tbody>
            {pods.edges.map(({ node: p }) => (
              <tr key={`${p.namespace}/${p.name}`}>
                <td>{p.namespace}</td>
                <td>{p.name}</td>
                <td>{p.phase}</td>
                <td class="num">{p.restarts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>You may not list this node's pods.</p>
      )}
    </div>
  );
}

function amount(a: { quantity: string; percent?: number | null } | undefined | null): string {
  if (!a) return '';
  return a.percent == null ? a.quantity : `${a.quantity} (${a.percent}%)`;
}
