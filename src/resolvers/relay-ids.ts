import { nodeGlobalId } from '../informers/node-projection.js';
import { decodeGlobalId, encodeGlobalId } from '../platform/global-id.js';
import { checkedName } from './argument-checks.js';
import { gatewayError, quoteInput } from './graphql-errors.js';

/**
 * The one registry of Relay global ids: every GraphQL type with an identity, the key parts its
 * id carries, and the checks a decoded key must pass (an id whose node name Kubernetes would
 * refuse was never issued: BAD_USER_INPUT, no API call). src/resolvers/relay-node.ts holds the
 * lookup of each type; a new type adds one line here and one there, and the compiler insists on
 * both.
 */
export const GLOBAL_ID_TYPES = {
  KubeNode: { key: ['cluster', 'name'], check: (k: Key) => checkedName('nodeName', 'id (node name)', k[1]!) },
  Pod: {
    key: ['cluster', 'namespace', 'name'],
    check: (k: Key) => {
      checkedName('namespace', 'id (pod namespace)', k[1]!);
      checkedName('podName', 'id (pod name)', k[2]!);
    },
  },
  Cluster: { key: ['name'], check: () => undefined },
  DrainJob: { key: ['id'], check: (k: Key) => checkedName('drainJobId', 'id (drain job id)', k[0]!) },
  /** The same job as DrainJob, as a progress event carries it: its own id, so no id names two types. */
  DrainJobSummary: {
    key: ['id'],
    check: (k: Key) => checkedName('drainJobId', 'id (drain job id)', k[0]!),
  },
  BulkDrainJob: { key: ['id'], check: (k: Key) => checkedName('drainJobId', 'id (bulk drain id)', k[0]!) },
  /** The same bulk drain as BulkDrainJob, as a progress event carries it (as DrainJobSummary). */
  BulkDrainJobSummary: {
    key: ['id'],
    check: (k: Key) => checkedName('drainJobId', 'id (bulk drain id)', k[0]!),
  },
} as const satisfies Record<string, { key: readonly string[]; check: (key: Key) => unknown }>;

type Key = readonly string[];
export type GlobalIdType = keyof typeof GLOBAL_ID_TYPES;

/** The id of the object of `type` with this key (KubeNode ids come precomputed from the cache). */
export function globalId(type: GlobalIdType, key: Key): string {
  if (type === 'KubeNode') return nodeGlobalId(key[0]!, key[1]!);
  return encodeGlobalId(type, key);
}

export interface DecodedId {
  readonly type: GlobalIdType;
  readonly key: Key;
}

/**
 * A decoded, checked global id; BAD_USER_INPUT (extensions.argument, rule GlobalId) when it is
 * malformed, of a type we do not issue, or not of one of `expected` (when given).
 */
export function decodedId(argument: string, id: string, expected?: readonly GlobalIdType[]): DecodedId {
  const decoded = decodeGlobalId(id);
  if (typeof decoded === 'string') throw badId(argument, id, decoded);
  const { typename, key } = decoded;
  if (!Object.hasOwn(GLOBAL_ID_TYPES, typename)) throw badId(argument, id, 'is not an id of a known type');
  const type = typename as GlobalIdType;
  if (expected && !expected.includes(type)) {
    throw badId(argument, id, `is the id of a ${type}, not of a ${expected.join(' or ')}`);
  }
  const spec = GLOBAL_ID_TYPES[type];
  if (key.length !== spec.key.length) throw badId(argument, id, `is not a well-formed ${type} id`);
  spec.check(key);
  return { type, key };
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A drain job id argument (drainJob, cancelDrain, drainProgress): the job's global id
 * (DrainJob.id or DrainJobSummary.id), or the bare UUID (DrainJob.jobId) as before ids were
 * global. Resolves the UUID the store keys jobs by.
 */
export function drainJobIdArg(argument: string, id: string): string {
  return jobIdArg(argument, id, ['DrainJob', 'DrainJobSummary']);
}

/**
 * A bulk drain id argument (bulkDrainJob, cancelBulkDrain, bulkDrainProgress): its global id
 * (BulkDrainJob.id or BulkDrainJobSummary.id) or the bare UUID (BulkDrainJob.jobId), as for
 * drain jobs. Resolves the UUID the bulk store keys jobs by.
 */
export function bulkDrainIdArg(argument: string, id: string): string {
  return jobIdArg(argument, id, ['BulkDrainJob', 'BulkDrainJobSummary']);
}

function jobIdArg(argument: string, id: string, types: readonly GlobalIdType[]): string {
  if (UUID_SHAPE.test(id)) return id;
  return decodedId(argument, id, types).key[0]!;
}

function badId(argument: string, id: string, problem: string) {
  return gatewayError('BAD_USER_INPUT', `${argument}: ${quoteInput(id)} ${problem}`, {
    argument,
    rule: 'GlobalId',
  });
}
