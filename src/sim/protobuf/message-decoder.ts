/**
 * Decodes a protobuf message into the JSON object Go's encoding/json would print for the same Go struct,
 * driven by a field table (see kube-messages.ts). The generated Go types are proto2 with non-pointer fields,
 * so a client sends every string and number even when empty; JSON omits those (`omitempty`), so empty
 * scalars are dropped unless the field says otherwise.
 */
import type { JsonObject, JsonValue } from '../kube-object.js';
import { ProtoDecodeError, ProtoReader, WIRE_BYTES, WIRE_VARINT } from './wire.js';

export type ScalarType = 'string' | 'bool' | 'int32' | 'int64' | 'bytes';

export interface MessageType {
  /** The Go type name, as errors name it. */
  readonly name: string;
  readonly fields: Readonly<Record<number, Field>>;
  /** For types with their own JSON form (metav1.Time, intstr.IntOrString); `size` 0 means an empty message. */
  readonly toJson?: (decoded: JsonObject, size: number) => JsonValue;
}

export interface MapType {
  /** Every Kubernetes map has string keys; this is the value type. */
  readonly map: ScalarType | MessageType;
}

export interface Field {
  /** The JSON name. */
  readonly name: string;
  readonly type: ScalarType | MessageType | MapType;
  readonly repeated?: boolean;
  /** Keep zero values: the JSON tag has no omitempty, or the Go field is a pointer (present means set). */
  readonly keepZero?: boolean;
}

const isMap = (t: Field['type']): t is MapType => typeof t === 'object' && 'map' in t;

function goName(jsonName: string): string {
  return jsonName.charAt(0).toUpperCase() + jsonName.slice(1);
}

function isZero(v: JsonValue): boolean {
  return v === '' || v === 0 || v === false;
}

/** Sets an own property even for a key such as `__proto__` (map keys come from the client). */
function setOwn(o: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function readScalar(r: ProtoReader, type: ScalarType): JsonValue {
  switch (type) {
    case 'string':
      return Buffer.from(r.bytes()).toString('utf8');
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, r.varint()));
  }
}

function zeroOf(type: ScalarType | MessageType): JsonValue {
  if (typeof type === 'object') return decodeMessage(type, new Uint8Array(0));
  return type === 'bool' ? false : type === 'int32' || type === 'int64' ? 0 : '';
}

function readValue(r: ProtoReader, type: ScalarType | MessageType): JsonValue {
  return typeof type === 'object' ? decodeMessage(type, r.bytes()) : readScalar(r, type);
}

function wireTypeOf(type: Field['type']): number {
  return typeof type === 'object' || type === 'string' || type === 'bytes' ? WIRE_BYTES : WIRE_VARINT;
}

/** One map entry: a nested message with the key as field 1 and the value as field 2. */
function readMapEntry(r: ProtoReader, valueType: ScalarType | MessageType): [string, JsonValue] {
  const entry = new ProtoReader(r.bytes());
  let key = '';
  let value: JsonValue | undefined;
  while (!entry.done) {
    const { field, wire } = entry.tag('MapEntry');
    if (field === 1 && wire === WIRE_BYTES) key = Buffer.from(entry.bytes()).toString('utf8');
    else if (field === 2 && wire === wireTypeOf(valueType)) value = readValue(entry, valueType);
    else entry.skip(wire);
  }
  return [key, value ?? zeroOf(valueType)];
}

export function decodeMessage(type: MessageType, buf: Uint8Array): JsonValue {
  const r = new ProtoReader(buf);
  const out: JsonObject = {};
  while (!r.done) {
    const { field, wire } = r.tag(type.name);
    const f = type.fields[field];
    if (!f) {
      r.skip(wire);
      continue;
    }
    if (wire !== wireTypeOf(f.type)) {
      throw new ProtoDecodeError(`proto: wrong wireType = ${wire} for field ${goName(f.name)}`);
    }
    if (isMap(f.type)) {
      const [key, value] = readMapEntry(r, f.type.map);
      const current = out[f.name];
      const map: JsonObject =
        current && typeof current === 'object' && !Array.isArray(current) ? current : {};
      setOwn(map, key, value);
      out[f.name] = map;
      continue;
    }
    const value = readValue(r, f.type);
    if (f.repeated) {
      const current = out[f.name];
      if (Array.isArray(current)) current.push(value);
      else out[f.name] = [value];
    } else if (typeof f.type === 'object' || f.keepZero || !isZero(value)) {
      // A message that is there is kept whatever it holds: maxUnavailable 0 is an IntOrString of 0.
      out[f.name] = value;
    } else delete out[f.name];
  }
  return type.toJson ? type.toJson(out, buf.length) : out;
}
