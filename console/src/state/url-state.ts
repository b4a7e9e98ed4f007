/** What the table shows, kept in the URL so a view can be bookmarked, shared and reloaded. */
export interface ViewState {
  cluster?: string;
  labelSelector?: string;
  ready?: boolean;
  schedulable?: boolean;
  role?: string;
  name?: string;
  sort: SortField;
  direction: 'ASC' | 'DESC';
  /** The node whose drawer is open. */
  node?: string;
}

export type SortField =
  | 'NAME'
  | 'CREATED_AT'
  | 'POD_COUNT'
  | 'CPU_REQUESTS_FRACTION'
  | 'MEMORY_REQUESTS_FRACTION'
  | 'CPU_USAGE_FRACTION'
  | 'MEMORY_USAGE_FRACTION';
export const SORT_FIELDS: readonly SortField[] = [
  'NAME',
  'CREATED_AT',
  'POD_COUNT',
  'CPU_REQUESTS_FRACTION',
  'MEMORY_REQUESTS_FRACTION',
  'CPU_USAGE_FRACTION',
  'MEMORY_USAGE_FRACTION',
];

const text = (params: URLSearchParams, key: string) => params.get(key)?.trim() || undefined;
const flag = (params: URLSearchParams, key: string) => {
  const value = params.get(key);
  return value === 'true' ? true : value === 'false' ? false : undefined;
};

export function readViewState(search = location.search): ViewState {
  const params = new URLSearchParams(search);
  const sort = params.get('sort');
  return {
    cluster: text(params, 'cluster'),
    labelSelector: text(params, 'selector'),
    ready: flag(params, 'ready'),
    schedulable: flag(params, 'schedulable'),
    role: text(params, 'role'),
    name: text(params, 'name'),
    sort: SORT_FIELDS.includes(sort as SortField) ? (sort as SortField) : 'NAME',
    direction: params.get('dir') === 'DESC' ? 'DESC' : 'ASC',
    node: text(params, 'node'),
  };
}

export function writeViewState(state: ViewState): void {
  const params = new URLSearchParams();
  const set = (key: string, value: string | boolean | undefined) => {
    if (value !== undefined && value !== '') params.set(key, String(value));
  };
  set('cluster', state.cluster);
  set('selector', state.labelSelector);
  set('ready', state.ready);
  set('schedulable', state.schedulable);
  set('role', state.role);
  set('name', state.name);
  if (state.sort !== 'NAME') set('sort', state.sort);
  if (state.direction !== 'ASC') set('dir', state.direction);
  set('node', state.node);
  const search = params.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
}
