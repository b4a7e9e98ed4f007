import { useEffect, useState } from 'preact/hooks';
import { SORT_FIELDS, type SortField, type ViewState } from '../state/url-state.js';

const SORT_LABELS: Record<SortField, string> = {
  NAME: 'Name',
  CREATED_AT: 'Age',
  POD_COUNT: 'Pods',
  CPU_REQUESTS_FRACTION: 'CPU requested',
  MEMORY_REQUESTS_FRACTION: 'Memory requested',
  CPU_USAGE_FRACTION: 'CPU used',
  MEMORY_USAGE_FRACTION: 'Memory used',
};

type TriState = boolean | undefined;
const triValue = (v: TriState) => (v === undefined ? '' : String(v));
const triParse = (v: string): TriState => (v === '' ? undefined : v === 'true');

/** Filters and sort; text fields apply as you type, after a short pause. */
export function FilterBar({ view, onChange }: { view: ViewState; onChange: (next: ViewState) => void }) {
  const [selector, setSelector] = useState(view.labelSelector ?? '');
  const [name, setName] = useState(view.name ?? '');
  const [role, setRole] = useState(view.role ?? '');
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = { labelSelector: selector || undefined, name: name || undefined, role: role || undefined };
      if (next.labelSelector !== view.labelSelector || next.name !== view.name || next.role !== view.role)
        onChange({ ...view, ...next });
    }, 300);
    return () => clearTimeout(timer);
  }, [selector, name, role]);
  return (
    <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Node filters">
      <label>
        Name
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="contains" />
      </label>
      <label>
        Label selector
        <input
          value={selector}
          onInput={(e) => setSelector(e.currentTarget.value)}
          placeholder="zone=a,!spot"
          class="wide"
        />
      </label>
      <label>
        Role
        <input value={role} onInput={(e) => setRole(e.currentTarget.value)} placeholder="worker" />
      </label>
      <label>
        Ready
        <select
          value={triValue(view.ready)}
          onChange={(e) => onChange({ ...view, ready: triParse(e.currentTarget.value) })}
        >
          <option value="">any</option>
          <option value="true">ready</option>
          <option value="false">not ready</option>
        </select>
      </label>
      <label>
        Schedulable
        <select
          value={triValue(view.schedulable)}
          onChange={(e) => onChange({ ...view, schedulable: triParse(e.currentTarget.value) })}
        >
          <option value="">any</option>
          <option value="true">schedulable</option>
          <option value="false">cordoned</option>
        </select>
      </label>
      <label>
        Sort
        <select
          value={view.sort}
          onChange={(e) => onChange({ ...view, sort: e.currentTarget.value as SortField })}
        >
          {SORT_FIELDS.map((f) => (
            <option key={f} value={f}>
              {SORT_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        onClick={() => onChange({ ...view, direction: view.direction === 'ASC' ? 'DESC' : 'ASC' })}
        aria-label={`Sort direction: ${view.direction === 'ASC' ? 'ascending' : 'descending'}`}
      >
        {view.direction === 'ASC' ? '↑' : '↓'}
      </button>
    </form>
  );
}
