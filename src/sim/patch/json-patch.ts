/** JSON patch (RFC 6902), `application/json-patch+json`: add, remove, replace, move, copy, test. */
import { isJsonObject, type JsonValue } from '../kube-object.js';

export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
  constructor(
    message: string,
    /** The patch itself is malformed (400), as opposed to failing to apply (422). */
    readonly malformed = false,
  ) {
    super(message);
  }
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: JsonValue;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

type Container = JsonValue[] | { [key: string]: JsonValue };

function resolveParent(
  doc: JsonValue,
  tokens: string[],
  pointer: string,
): { parent: Container; key: string } {
  let node: JsonValue = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(t)] as JsonValue;
    else if (isJsonObject(node)) node = node[t] as JsonValue;
    else node = undefined as unknown as JsonValue;
    if (node === undefined || node === null || typeof node !== 'object') {
      throw new JsonPatchError(`doc is missing path: "${pointer}": missing value`);
    }
  }
  return { parent: node as Container, key: tokens[tokens.length - 1]! };
}

function arrayIndex(arr: JsonValue[], key: string, forInsert: boolean, pointer: string): number {
  if (forInsert && key === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw new JsonPatchError(`invalid array index "${key}" in "${pointer}"`);
  const i = Number(key);
  if (i > arr.length || (!forInsert && i === arr.length)) {
    throw new JsonPatchError(`unable to access invalid index: ${i}`);
  }
  return i;
}

function get(doc: JsonValue, pointer: string): JsonValue {
  let node: JsonValue | undefined = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(t)];
    else if (isJsonObject(node)) node = Object.hasOwn(node, t) ? node[t] : undefined;
    else node = undefined;
    if (node === undefined) throw new JsonPatchError(`doc is missing path: "${pointer}": missing value`);
  }
  return node;
}

function add(doc: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, pointer), 1);
  else {
    if (!Object.hasOwn(parent, key))
      throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

export function applyJsonPatch(document: JsonValue, ops: unknown): JsonValue {
  if (!Array.isArray(ops)) {
    throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', true);
  }
  let doc = structuredClone(document);
  for (const raw of ops as Operation[]) {
    if (!isJsonObject(raw as unknown) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new JsonPatchError('invalid json patch operation', true);
    }
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, structuredClone(raw.value ?? null));
        break;
      case 'remove':
        doc = remove(doc, raw.path);
        break;
      case 'replace':
        get(doc, raw.path);
        doc = add(remove(doc, raw.path), raw.path, structuredClone(raw.value ?? null));
        break;
      case 'move': {
        const value = get(doc, raw.from ?? '');
        doc = add(remove(doc, raw.from ?? ''), raw.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, raw.path, structuredClone(get(doc, raw.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(get(doc, raw.path)) !== JSON.stringify(raw.value ?? null)) {
          throw new JsonPatchError(`testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}
