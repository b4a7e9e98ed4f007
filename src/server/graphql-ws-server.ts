import type { IncomingMessage } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GatewayMetrics } from '../platform/metrics.js';
import type { GatewayYoga } from './create-yoga.js';

export interface GraphqlWsOptions {
  yoga: GatewayYoga;
  metrics: GatewayMetrics;
  /**
   * Largest message a client may send (--max-body-size, as for HTTP; 0 = none); ws's own
   * default (100 MiB) invites memory abuse.
   */
  maxPayloadBytes?: number;
}

type EnvelopedRoot = {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

/**
 * graphql-ws on a noServer WebSocketServer; the HTTP server hands it upgrades for /graphql
 * after the Origin check. Every operation runs through yoga's envelop, so plugins (metrics,
 * jit, masking) apply to WebSocket operations as to HTTP ones.
 */
export function createGraphqlWsServer(options: GraphqlWsOptions): {
  wss: WebSocketServer;
  dispose(): Promise<void>;
} {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 });
  wss.on('connection', (socket) => {
    options.metrics.websocketConnections.inc();
    socket.once('close', () => options.metrics.websocketConnections.dec());
  });
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = options.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          transport: 'ws',
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
        } catch (err) {
          // A syntax error is the client's mistake: answer it on this operation, keep the socket.
          return [asGraphQLError(err)];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors.map(asGraphQLError);
        return {
          schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
      },
    },
    wss,
  );
  return {
    wss,
    async dispose() {
      await disposable.dispose();
    },
  };
}

/**
 * graphql-ws checks `instanceof GraphQLError` against the ESM build of graphql, while yoga's
 * parse/validate may come from the CommonJS build (graphql 16 ships both): rebuild the error.
 */
function asGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  const e = err as {
    message?: string;
    locations?: readonly { line: number; column: number }[];
    extensions?: Record<string, unknown>;
  };
  const error = new GraphQLError(e.message ?? String(err), { extensions: e.extensions });
  if (e.locations) Object.assign(error, { locations: e.locations });
  return error;
}

/**
 * Browsers send Origin on WebSocket upgrades and CORS does not apply to them, so a page on any
 * site could open a socket with the user's network position. Allow: no Origin (non-browser
 * clients), the same host, or a configured origin.
 */
export function isAllowedOrigin(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
