/**
 * Create, update and delete bodies by Content-Type, as the apiserver picks its input serializer: no type
 * means JSON; protobuf works for the kinds with a field table (src/sim/protobuf), which is what client-go's
 * typed clients send for built-in kinds (kubectl create namespace/pdb, drain --disable-eviction) with no
 * fallback to JSON; anything else is 415 listing what would have been accepted.
 */
import {
  decodeKubeProtobuf,
  decodesProtobuf,
  type ExpectedKind,
  PROTOBUF_MEDIA_TYPE,
} from './protobuf/kube-protobuf.js';
import { errors } from './status.js';

export type { ExpectedKind } from './protobuf/kube-protobuf.js';

const JSON_MEDIA_TYPE = 'application/json';

/** The media type without parameters, lower-cased like Go's mime.ParseMediaType. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A JSON body; undefined when empty. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** The media types a body of this kind may come in, for 415 answers. */
export function acceptedMediaTypes(kind: string): string[] {
  return decodesProtobuf(kind) ? [JSON_MEDIA_TYPE, PROTOBUF_MEDIA_TYPE] : [JSON_MEDIA_TYPE];
}

/** Decodes a body into its JSON form (undefined for an empty JSON body); throws 400/415 Statuses. */
export function decodeRequestBody(
  body: Buffer,
  contentType: string | undefined,
  expected: ExpectedKind,
): unknown {
  const media = mediaTypeOf(contentType);
  if (media === '' || media === JSON_MEDIA_TYPE) return parseJsonBody(body);
  if (media === PROTOBUF_MEDIA_TYPE && decodesProtobuf(expected.kind))
    return decodeKubeProtobuf(body, expected);
  throw errors.unsupportedMediaType(acceptedMediaTypes(expected.kind));
}
