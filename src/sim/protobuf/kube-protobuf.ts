/**
 * Kubernetes' protobuf body: the magic `k8s\0`, then a runtime.Unknown whose typeMeta names the kind and
 * whose raw bytes are the object's own message. Errors are the apiserver's BadRequest texts
 * (transformDecodeError in k8s.io/apiserver's handlers/rest.go).
 */
import type { KubeObject } from '../kube-object.js';
import { errors } from '../status.js';
import { AUTH_PROTOBUF_KINDS } from './auth-messages.js';
import { DEPLOY_PROTOBUF_KINDS } from './deploy-messages.js';
import { PROTOBUF_KINDS as CORE_KINDS } from './kube-messages.js';
import { decodeMessage, type MessageType } from './message-decoder.js';
import { ProtoDecodeError, ProtoReader, WIRE_BYTES } from './wire.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from('k8s\0', 'latin1');

/** What the request's URL says the body must be. */
export interface ExpectedKind {
  kind: string;
  apiVersion: string;
}

const PROTOBUF_KINDS: ReadonlyMap<string, MessageType> = new Map([
  ...CORE_KINDS,
  ...AUTH_PROTOBUF_KINDS,
  ...DEPLOY_PROTOBUF_KINDS,
]);

const TypeMeta: MessageType = {
  name: 'TypeMeta',
  fields: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
};

/** Whether the simulator can decode this kind from protobuf. */
export function decodesProtobuf(kind: string): boolean {
  return PROTOBUF_KINDS.has(kind);
}

/** The apiserver's summarizeData: the first 30 bytes, as text for JSON-looking data and as hex otherwise. */
function summarize(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  const head = body.subarray(0, 30);
  const text = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return body.length > 30 ? `${text} ...` : text;
}

function readUnknown(data: Uint8Array): { apiVersion: string; kind: string; raw: Uint8Array } {
  const r = new ProtoReader(data);
  let typeMeta: { apiVersion?: unknown; kind?: unknown } = {};
  let raw: Uint8Array = new Uint8Array(0);
  while (!r.done) {
    const { field, wire } = r.tag('Unknown');
    if (field >= 1 && field <= 4 && wire !== WIRE_BYTES) {
      const names = ['TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'];
      throw new ProtoDecodeError(`proto: wrong wireType = ${wire} for field ${names[field - 1]}`);
    }
    if (field === 1) typeMeta = decodeMessage(TypeMeta, r.bytes()) as typeof typeMeta;
    else if (field === 2) raw = r.bytes();
    else r.skip(wire);
  }
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { apiVersion: str(typeMeta.apiVersion), kind: str(typeMeta.kind), raw };
}

/** Decodes a protobuf request body into the object its JSON form would be; throws 400 Statuses. */
export function decodeKubeProtobuf(body: Buffer, expected: ExpectedKind): KubeObject {
  const unrecognized = (why: string) =>
    errors.badRequest(
      `the object provided is unrecognized (must be of type ${expected.kind}): ${why} (${summarize(body)})`,
    );
  if (body.length === 0) throw unrecognized('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw unrecognized(
      `provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`,
    );
  }
  if (body.length === MAGIC.length) throw unrecognized('empty body');
  let unknown: ReturnType<typeof readUnknown>;
  try {
    unknown = readUnknown(body.subarray(MAGIC.length));
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw unrecognized(e.message);
    throw e;
  }
  // A missing kind or version defaults to the URL's, as the apiserver's decoder does.
  const kind = unknown.kind || expected.kind;
  const apiVersion = unknown.apiVersion || expected.apiVersion;
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  const cannot = (why: string) =>
    errors.badRequest(`${kind} in version "${version}" cannot be handled as a ${expected.kind}: ${why}`);
  const type = PROTOBUF_KINDS.get(kind);
  if (!type) {
    throw cannot(
      `no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/runtime/scheme.go:100"`,
    );
  }
  try {
    return { kind, apiVersion, ...(decodeMessage(type, unknown.raw) as KubeObject) };
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw cannot(e.message);
    throw e;
  }
}
