import { useState } from 'preact/hooks';
import type { DrainOptions } from '../gql/graphql.js';

/** kubectl drain's options, with its usual choices preselected (DaemonSets ignored). */
export function DrainDialog({
  nodes,
  onStart,
  onCancel,
}: {
  /** One node, or several for a bulk drain (which also asks how many at once). */
  nodes: readonly string[];
  onStart: (options: DrainOptions, maxConcurrent: number) => void;
  onCancel: () => void;
}) {
  const [options, setOptions] = useState<DrainOptions>({ ignoreDaemonSets: true, deleteEmptyDirData: false });
  const [maxConcurrent, setMaxConcurrent] = useState(1);
  const title = nodes.length === 1 ? `Drain ${nodes[0]}` : `Drain ${nodes.length} nodes`;
  const toggle = (key: keyof DrainOptions, label: string) => (
    <label class="check">
      <input
        type="checkbox"
        checked={Boolean(options[key])}
        onChange={(e) => setOptions({ ...options, [key]: e.currentTarget.checked })}
      />
      {label}
    </label>
  );
  const number = (key: 'gracePeriodSeconds' | 'timeoutSeconds', label: string) => (
    <label>
      {label}
      <input
        type="number"
        min={key === 'gracePeriodSeconds' ? -1 : 0}
        value={options[key] ?? ''}
        onInput={(e) => {
          const v = e.currentTarget.value;
          setOptions({ ...options, [key]: v === '' ? undefined : Number(v) });
        }}
      />
    </label>
  );
  return (
    <div class="dialog-backdrop">
      <dialog open aria-labelledby="drain-title" class="dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onStart(options, maxConcurrent);
          }}
        >
          <h2 id="drain-title">{title}</h2>
          {nodes.length > 1 && (
            <label>
              Nodes drained at once
              <input
                type="number"
                min={1}
                max={50}
                value={maxConcurrent}
                onInput={(e) => setMaxConcurrent(Math.max(1, Number(e.currentTarget.value) || 1))}
              />
            </label>
          )}
          {toggle('ignoreDaemonSets', 'Ignore DaemonSet pods (--ignore-daemonsets)')}
          {toggle('deleteEmptyDirData', 'Delete emptyDir data (--delete-emptydir-data)')}
          {toggle('force', 'Force: delete pods without a controller (--force)')}
          {toggle('disableEviction', 'Delete instead of evicting, bypassing PodDisruptionBudgets')}
          {toggle('dryRun', 'Dry run (nothing is evicted)')}
          {number('gracePeriodSeconds', 'Grace period (s)')}
          {number('timeoutSeconds', 'Timeout (s)')}
          <label>
            Pod selector
            <input
              value={options.podSelector ?? ''}
              onInput={(e) => setOptions({ ...options, podSelector: e.currentTarget.value || undefined })}
            />
          </label>
          <div class="buttons">
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="submit" class="primary">
              Drain
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
