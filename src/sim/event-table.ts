/**
 * printEvent's Table (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; wide adds the rest). Imported only
 * by table.ts, whose humanDuration it uses at call time.
 */
import { eventLastSeen } from './event-resource.js';
import type { KubeObject } from './kube-object.js';
import { humanDuration } from './table.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

const column = (name: string, description: string, priority = 0) => ({
  name,
  type: 'string',
  format: '',
  description,
  priority,
});

export const eventPrinter = {
  columns: [
    column('Last Seen', 'Time when this Event was last seen'),
    column('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    column('Reason', 'Reason why the action was taken. It is human-readable.'),
    column('Object', 'Object this event is about.'),
    column('Subobject', 'The subobject this event is about', 1),
    column('Source', 'The component reporting this event. It is human-readable.', 1),
    column('Message', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'Time when this Event was first seen', 1),
    column('Count', 'The number of times this event has occurred.', 1),
    column('Name', 'Name of the event', 1),
  ],
  cells(o: KubeObject, now: number): (string | number)[] {
    const ref = obj(o.involvedObject);
    const source = obj(o.source);
    const since = (ts: string | undefined) => (ts ? humanDuration(now - Date.parse(ts)) : '<unknown>');
    const sourceText = [str(source.component), str(source.host)].filter(Boolean).join(', ');
    return [
      since(eventLastSeen(o)),
      str(o.type),
      str(o.reason),
      `${str(ref.kind).toLowerCase()}/${str(ref.name)}`,
      str(ref.fieldPath),
      sourceText || str(o.reportingComponent),
      str(o.message),
      since((o.firstTimestamp as string | undefined) ?? (o.eventTime as string | undefined)),
      str(o.count ?? 1),
      str(o.metadata?.name),
    ];
  },
};
