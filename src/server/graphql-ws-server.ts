import { type ExecutionArgs, GraphQLError, getOperationAST } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../platform/logger.js';
import type { GatewayMetrics } from '../platform/metrics.js';
import type { GatewayYoga } from './create-yoga.js';
import { fanoutKey, SubscriptionFanout } from './fanout/subscription-fanout.js';
import { WsMemberWriter } from './fanout/ws-member-writer.js';
import type { SubscriptionLimits } from './subscription-limits.js';
import { formattedErrorWithoutHttp, formattedWithoutHttp } from './use-strip-http-extensions.js';
import type { TrustedDocuments } from './use-trusted-documents.js';
import type { WsAuthentication } from './ws-authentication.js';
import { subscriptionSlots } from './ws-subscription-slots.js';

export interface GraphqlWsOptions {
  yoga: GatewayYoga;
  metrics: GatewayMetrics;
  /**
   * Largest message a client may send (--max-body-size, as for HTTP; 0 = none); ws's own
   * default (100 MiB) invites memory abuse.
   */
  maxPayloadBytes?: number;
  /** Authenticates each connection at connection_init; undefined = anonymous (`--auth none`). */
  authentication?: WsAuthentication;
  /** Live subscriptions per socket, caller and gateway; over a limit, that one subscription errors. */
  subscriptionLimits: SubscriptionLimits;
  /** The same trusted-documents rules as HTTP (yoga's onParams does not run here). */
  trustedDocuments?: TrustedDocuments;
  /**
   * nodeChanged subscribers of one shape share a group (the same instance serves SSE, so a
   * group's members may be on either transport); default: one of its own.
   */
  fanout?: SubscriptionFanout;
  /** Where the fan-out reports a failure it could not hand to a subscriber (own fan-out only). */
  logger?: Logger;
}

type EnvelopedRoot = {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  /** Gives back the subscription's slot (see ws-subscription-slots.ts). */
  release?: () => void;
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
  const slots = subscriptionSlots(options.subscriptionLimits);
  const fanout =
    options.fanout ??
    new SubscriptionFanout({
      onError: (err) => options.logger?.error({ err }, 'nodeChanged fan-out failed'),
    });
  const { activeSubscriptions } = options.metrics;
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => slots.subscribe(args, args.rootValue as EnvelopedRoot) as never,
      onConnect: options.authentication?.onConnect,
      onComplete: (ctx, id) => slots.release(ctx, id),
      // `extensions.http` is for HTTP responses; never send it over the socket.
      onNext: (_ctx, _id, _payload, _args, result) => formattedWithoutHttp(result),
      onError: (_ctx, _id, _payload, errors) => errors.map(formattedErrorWithoutHttp),
      onSubscribe: async (ctx, id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = options.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          transport: 'ws',
          caller: options.authentication?.callerOf(ctx),
        });
        const resolved = options.trustedDocuments?.resolveWsQuery(params) ?? { query: params.query };
        if ('errors' in resolved) return resolved.errors.map(asGraphQLError);
        let document: ReturnType<typeof parse>;
        try {
          document = parse(resolved.query);
        } catch (err) {
          // A syntax error is the client's mistake: answer it on this operation, keep the socket.
          return [asGraphQLError(err)];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors.map(asGraphQLError);
        const contextValue = await contextFactory();
        let release: (() => void) | undefined;
        if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
          const slot = slots.acquire(ctx, id, contextValue.caller, ctx.extra.request);
          if (typeof slot !== 'function') return [asGraphQLError(slot)];
          release = slot;
          // nodeChanged goes to the fan-out (src/server/fanout). Left to graphql-ws, every
          // subscriber had its own queue, execution and JSON.stringify of the same event. Here,
          // not in a yoga plugin, because only here is the raw socket at hand: the fan-out runs one
          // execution per group of identical subscriptions and writes each group's bytes in its
          // members' `next` frames itself, byte for byte what graphql-ws would send. graphql-ws
          // still owns the rest of the protocol: the member's own subscribe runs first (argument
          // errors, FORBIDDEN come back to it as results, as before), it iterates a stream that
          // completes when the member ends (so it sends `complete` and onComplete frees the
          // slot), and it returns that stream on the client's complete or the socket's close.
          // Per-event yoga hooks (onNext) do not run for these events: nodeChanged's resolvers
          // raise only coded gateway errors, and `extensions.http` is stripped by the fan-out.
          // SSE subscribers join the same groups through use-sse-fanout.ts.
          const key = fanoutKey(
            document,
            resolved.query,
            params.operationName,
            params.variables,
            contextValue.caller,
          );
          if (key !== undefined) {
            const writer = new WsMemberWriter(ctx.extra.socket, id);
            return {
              schema,
              document,
              operationName: params.operationName,
              variableValues: params.variables,
              contextValue,
              rootValue: {
                execute,
                subscribe: (args: ExecutionArgs) =>
                  fanout.join({
                    key,
                    writer,
                    args,
                    check: subscribe,
                    onStart: () => activeSubscriptions.inc({ transport: 'ws' }),
                    onEnd: () => activeSubscriptions.dec({ transport: 'ws' }),
                  }),
                release,
              } satisfies EnvelopedRoot,
            };
          }
        }
        return {
          schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe, release } satisfies EnvelopedRoot,
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
 * site could open a socket with the user's network position. The check is the one HTTP
 * requests get (http-guards/origin-policy.ts): no Origin, the same host, or an allowed origin.
 */
export { isAllowedOrigin } from './http-guards/origin-policy.js';
