import type { Session } from '../state/session.js';

/** The clusters the gateway serves, each with its cache status (READY, DEGRADED, UNREACHABLE...). */
export function ClusterSwitcher({
  clusters,
  selected,
  onSelect,
}: {
  clusters: Session['clusters'];
  selected: string;
  onSelect: (name: string) => void;
}) {
  const current = clusters.find((c) => c.name === selected);
  return (
    <div class="cluster-switcher">
      <label for="cluster">Cluster</label>
      <select id="cluster" value={selected} onChange={(e) => onSelect(e.currentTarget.value)}>
        {clusters.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.status})
          </option>
        ))}
      </select>
      {current && (
        <span class={`badge status-${current.status.toLowerCase()}`} title={current.error ?? undefined}>
          {current.status}
        </span>
      )}
    </div>
  );
}
