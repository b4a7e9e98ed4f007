/**
 * core/v1 Events as the simulator stores and prints them: the resource type (field selectors of
 * pkg/registry/core/event ToSelectableFields, which `kubectl describe` and
 * `kubectl get events --field-selector involvedObject.name=X` use) and the Table printer
 * (the Table printer is event-table.ts).
 */
import type { KubeObject } from './kube-object.js';
import type { ResourceType } from './resources.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const involved = (o: KubeObject): Obj => obj(o.involvedObject);

export const EVENT_TYPE: ResourceType = {
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  hasStatusSubresource: false,
  hasGeneration: false,
  storageVersionHash: 'r2yiGXH7wu8=',
  fields: {
    'metadata.name': (o) => str(o.metadata?.name),
    'metadata.namespace': (o) => str(o.metadata?.namespace),
    'involvedObject.kind': (o) => str(involved(o).kind),
    'involvedObject.namespace': (o) => str(involved(o).namespace),
    'involvedObject.name': (o) => str(involved(o).name),
    'involvedObject.uid': (o) => str(involved(o).uid),
    'involvedObject.apiVersion': (o) => str(involved(o).apiVersion),
    'involvedObject.resourceVersion': (o) => str(involved(o).resourceVersion),
    'involvedObject.fieldPath': (o) => str(involved(o).fieldPath),
    reason: (o) => str(o.reason),
    reportingComponent: (o) => str(o.reportingComponent),
    source: (o) => str(obj(o.source).component),
    type: (o) => str(o.type),
  },
};

/** The newest time an event was seen at, as printEvent picks it. */
export function eventLastSeen(o: KubeObject): string | undefined {
  const series = obj(o.series);
  return (
    (series.lastObservedTime as string | undefined) ??
    (o.lastTimestamp as string | undefined) ??
    (o.eventTime as string | undefined) ??
    o.metadata?.creationTimestamp ??
    undefined
  );
}
