import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  type FieldNode,
  GraphQLList,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLSchema,
  getNullableType,
  isListType,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { StreamedList } from './streamed-lists.js';

/** What executing one slice of a streamed list gives: the items' results, and their errors. */
export type SliceResult = ExecutionResult<{ items: unknown[] | null }>;

type RunSlice = (
  items: readonly unknown[],
  context: unknown,
  variables: unknown,
) => SliceResult | Promise<SliceResult>;

/**
 * Executes the selection of a streamed list field over some of its items, as the operation would
 * have: same selection and fragments, same variables, same context (so authorization, dataloaders
 * and the request scope are the operation's). It runs the operation's own item selection as
 * `query { items { ...selection } }` on a small schema whose root field returns the items given,
 * built from the gateway's own types; compiled once per operation and field (graphql-jit) and
 * reused by every request of that document. An item whose non-null field fails is null with its
 * error (in a whole answer the error would null the list): the rest is already written.
 */
export class ListSliceExecutor {
  private readonly schemas = new WeakMap<GraphQLSchema, Map<string, GraphQLSchema>>();
  private readonly runners = new WeakMap<OperationDefinitionNode, Map<string, RunSlice>>();

  constructor(private readonly jit: boolean) {}

  run(list: StreamedList, items: readonly unknown[], context: unknown, variables: unknown) {
    return this.runnerOf(list)(items, context, variables);
  }

  private runnerOf(list: StreamedList): RunSlice {
    const { operation } = list.info;
    let byField = this.runners.get(operation);
    if (!byField) {
      byField = new Map();
      this.runners.set(operation, byField);
    }
    // The path without list indices: the same field of the same operation has the same selection.
    const key = list.path.filter((p) => typeof p === 'string').join('.');
    let runner = byField.get(key);
    if (!runner) {
      runner = this.compile(list);
      byField.set(key, runner);
    }
    return runner;
  }

  private compile(list: StreamedList): RunSlice {
    const { info } = list;
    const schema = this.sliceSchema(info.schema, info.returnType);
    const document = sliceDocument(info.operation, info.fieldNodes, Object.values(info.fragments));
    if (this.jit) {
      const compiled = compileQuery(schema, document, undefined, {});
      if (!isCompiledQuery(compiled))
        throw new Error(`list slice did not compile: ${compiled.errors?.[0]?.message}`);
      const query = compiled as CompiledQuery<{ items: unknown[] | null }>;
      return (items, context, variables) =>
        query.query({ items }, context, variables as Record<string, unknown>) as
          | SliceResult
          | Promise<SliceResult>;
    }
    return (items, context, variables) =>
      execute({
        schema,
        document,
        rootValue: { items },
        contextValue: context,
        variableValues: variables as Record<string, unknown>,
      }) as SliceResult | Promise<SliceResult>;
  }

  /** A schema whose query root has one field, `items`, of the list's type (nullable items). */
  private sliceSchema(schema: GraphQLSchema, listType: GraphQLOutputType): GraphQLSchema {
    let byType = this.schemas.get(schema);
    if (!byType) {
      byType = new Map();
      this.schemas.set(schema, byType);
    }
    const name = listType.toString();
    let slice = byType.get(name);
    if (!slice) {
      const list = getNullableType(listType);
      if (!isListType(list)) throw new Error(`streamed field of type ${name} is not a list`);
      const item = getNullableType(list.ofType) as GraphQLOutputType;
      slice = new GraphQLSchema({
        query: new GraphQLObjectType({
          name: 'StreamedListSlice',
          fields: {
            items: { type: new GraphQLList(item), resolve: (root: { items: unknown[] }) => root.items },
          },
        }),
        // Every named type, so the operation's variable definitions (input types) resolve.
        types: Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__')),
        directives: schema.getDirectives(),
      });
      byType.set(name, slice);
    }
    return slice;
  }
}

function sliceDocument(
  operation: OperationDefinitionNode,
  fieldNodes: readonly FieldNode[],
  fragments: DocumentNode['definitions'],
): DocumentNode {
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: operation.operation,
        variableDefinitions: operation.variableDefinitions,
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: 'items' },
              selectionSet: {
                kind: Kind.SELECTION_SET,
                selections: fieldNodes.flatMap((f) => f.selectionSet?.selections ?? []),
              },
            },
          ],
        },
      },
      ...fragments,
    ],
  };
}
