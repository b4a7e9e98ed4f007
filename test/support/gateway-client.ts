import {
  createWsClient,
  type GraphQLResponse,
  postGraphQL,
  postGraphQLWith,
  postRaw,
  subscribeSse,
  subscribeWs,
  type TestSubscription,
  type TypedDocumentNode,
  type VariablesArg,
} from './graphql-clients.js';

/** What a test sees of a running gateway, in-process or its own OS process: its URLs and its API. */
export interface GatewayClient {
  readonly baseUrl: string;
  readonly graphqlUrl: string;
  readonly wsUrl: string;
  query<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: VariablesArg<TVariables>
  ): Promise<GraphQLResponse<TResult>>;
  /** An untyped query string: only for malformed or hostile input no document can hold. */
  queryRaw(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Record<string, unknown>>>;
  /** A subscription over graphql-ws (one WebSocket per gateway, opened lazily). */
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: VariablesArg<TVariables>
  ): TestSubscription<TResult>;
  subscribeSse<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: VariablesArg<TVariables>
  ): TestSubscription<TResult>;
  /**
   * The value of one series on /metrics, e.g. `gateway_node_subscribers` or
   * `gateway_active_subscriptions{transport="ws"}`; undefined when the gateway does not report it.
   */
  metric(series: string): Promise<number | undefined>;
  /** The sum of every series of metric `name` whose labels include `labels`, e.g. { outcome: 'ok' }. */
  metricSum(name: string, labels?: Readonly<Record<string, string>>): Promise<number>;
  /** The same gateway as the holder of `token`: HTTP `Authorization: Bearer`, graphql-ws connection_init. */
  as(token: string): GatewayClient;
  /** Closes the client's WebSocket, if it opened one. */
  close(): Promise<void>;
}

export function gatewayClient(baseUrl: string, { token }: { token?: string } = {}): GatewayClient {
  const graphqlUrl = `${baseUrl}/graphql`;
  const wsUrl = graphqlUrl.replace(/^http/, 'ws');
  const authorization = token === undefined ? undefined : `Bearer ${token}`;
  let ws: ReturnType<typeof createWsClient> | undefined;
  return {
    baseUrl,
    graphqlUrl,
    wsUrl,
    query: (document, ...variables) =>
      authorization === undefined
        ? postGraphQL(graphqlUrl, document, ...variables)
        : postGraphQLWith(graphqlUrl, { authorization }, document, ...variables),
    queryRaw: (query, variables) => postRaw(graphqlUrl, query, variables),
    subscribe(document, ...variables) {
      ws ??= createWsClient(
        wsUrl,
        authorization === undefined ? {} : { connectionParams: { authorization } },
      );
      return subscribeWs(ws, document, ...variables);
    },
    subscribeSse: (document, ...variables) => subscribeSse(graphqlUrl, document, ...variables),
    async metric(series) {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    },
    async metricSum(name, labels = {}) {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
      let sum = 0;
      for (const line of text.split('\n')) {
        const match = /^([^{ ]+)(\{[^}]*\})? (\S+)$/.exec(line);
        if (!match || match[1] !== name) continue;
        const labelText = match[2] ?? '';
        if (wanted.every((pair) => labelText.includes(pair))) sum += Number(match[3]);
      }
      return sum;
    },
    as: (other) => gatewayClient(baseUrl, { token: other }),
    async close() {
      const open = ws;
      ws = undefined;
      await open?.dispose();
    },
  };
}
