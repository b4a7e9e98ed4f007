import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import { createAuthenticator } from '../auth/create-authenticator.js';
import { handleConsoleRoute } from './console-assets.js';
import { createGatewayYoga, GRAPHQL_PATH } from './create-yoga.js';
import { SubscriptionFanout } from './fanout/subscription-fanout.js';
import { handleGraphiqlAsset } from './graphiql-assets.js';
import { createGraphqlWsServer } from './graphql-ws-server.js';
import { createHostPolicy } from './http-guards/host-policy.js';
import { isAllowedOrigin } from './http-guards/origin-policy.js';
import { refuseRequest, refuseUpgrade } from './http-guards/refusal.js';
import { serverTimeoutOptions } from './http-guards/server-timeouts.js';
import { handleOperationalRoute } from './http-routes.js';
import type { GatewayServices } from './services.js';
import { refuseEventStream } from './sse-stream-limit.js';
import { SubscriptionLimits } from './subscription-limits.js';
import { TrustedDocuments } from './use-trusted-documents.js';
import { createWsAuthentication } from './ws-authentication.js';

export interface GatewayServerOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  jit?: boolean;
  responseCache?: boolean;
  /** Replaces the authenticator `--auth` selects (tests). */
  authenticator?: Authenticator;
  /** Admission after authentication; throws AccessDeniedError to refuse (403 / close 4403). */
  admit?: (caller: Caller) => void | Promise<void>;
}

export interface GatewayServer {
  readonly httpServer: Server;
  /** Listens on config.host:config.port (0 = any free port); resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Graceful stop, the Kubernetes way: readiness turns 503 at once while everything keeps being
   * served for `delayMs` (endpoints take a few seconds to drop a terminating pod, and
   * traffic keeps arriving meanwhile); then no new connections, WebSockets close with 1001, SSE
   * streams end, in-flight requests get until the shutdown deadline, then sockets are cut.
   */
  close(options?: { delayMs?: number }): Promise<void>;
}

/** One HTTP server: yoga on /graphql (HTTP + SSE), graphql-ws upgrades on /graphql, ops routes. */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const { services } = options;
  const { config, logger } = services;
  const log = logger.child({ component: 'server' });
  const subscriptionLimits = SubscriptionLimits.fromConfig(config);
  const trustedDocuments = TrustedDocuments.fromConfig(config, services.metrics.registry);
  const authenticator = options.authenticator ?? createAuthenticator(config, services.clusters);
  const authentication = authenticator && {
    authenticator,
    admit: options.admit,
    logger: logger.child({ component: 'authentication' }),
  };
  // One fan-out for both transports: subscribers of one shape share a group whichever they use,
  // and every group's writes share one slice scheduler.
  const fanout = new SubscriptionFanout({
    onError: (err) => log.error({ err }, 'nodeChanged fan-out failed'),
  });
  const yoga = createGatewayYoga({
    ...options,
    graphiql: config.graphiql,
    authentication,
    subscriptionLimits,
    trustedDocuments,
    fanout,
  });
  const ws = createGraphqlWsServer({
    yoga,
    metrics: services.metrics,
    maxPayloadBytes: config.limits.maxBodyBytes,
    subscriptionLimits,
    trustedDocuments,
    authentication: authentication && createWsAuthentication(authentication),
    fanout,
    logger: logger.child({ component: 'graphql-ws' }),
  });
  // DNS rebinding: refuse foreign Host headers before anything else, on every path and upgrade.
  const isServedHost = createHostPolicy(config);
  const misdirected = (host: string | undefined) =>
    `this gateway does not serve host ${host} (list it with --public-url)`;
  const sockets = new Set<Socket>();
  const inFlight = new Set<ServerResponse>();
  const eventStreams = new Set<ServerResponse>();
  /** Readiness reports 503 from here on (SIGTERM arrived); requests are still served. */
  let shuttingDown = false;
  /** The listener is closing: new WebSockets are refused, connections end. */
  let closing = false;
  let notifyIdle: (() => void) | undefined;

  const httpServer = createServer(serverTimeoutOptions(config), (req, res) => {
    inFlight.add(res);
    // While draining, keep-alive clients are told to reconnect, which lands them on a ready replica.
    if (shuttingDown) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      eventStreams.delete(res);
      if (inFlight.size === 0) notifyIdle?.();
    });
    void route(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  httpServer.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (!isServedHost(req.headers.host)) return refuseUpgrade(socket, 421, misdirected(req.headers.host));
    const path = (req.url ?? '/').split('?', 1)[0];
    if (closing || path !== GRAPHQL_PATH || !isAllowedOrigin(req, config.allowedOrigins)) {
      const status = closing
        ? '503 Service Unavailable'
        : path !== GRAPHQL_PATH
          ? '404 Not Found'
          : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    ws.wss.handleUpgrade(req, socket, head, (client) => ws.wss.emit('connection', client, req));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isServedHost(req.headers.host))
      return refuseRequest(res, 'MISDIRECTED_REQUEST', misdirected(req.headers.host));
    if (await handleOperationalRoute(req, res, { ...services, shuttingDown: () => shuttingDown })) return;
    if (config.graphiql && (await handleGraphiqlAsset(req, res))) return;
    if (config.console && (await handleConsoleRoute(req, res))) return;
    if (declaresOversizedBody(req, config.limits.maxBodyBytes)) {
      // Answered before yoga wraps the request: Node then discards the unread body as it arrives.
      return refuseRequest(
        res,
        'REQUEST_ENTITY_TOO_LARGE',
        `Request body exceeds --max-body-size ${config.limits.maxBodyBytes} bytes`,
      );
    }
    const sse = (req.headers.accept ?? '').includes('text/event-stream');
    if (sse && eventStreams.size >= config.limits.sseStreams)
      return refuseEventStream(res, config.limits.sseStreams);
    if (sse) eventStreams.add(res);
    await yoga.handle(req, res, { transport: sse ? 'sse' : 'http' });
  }

  return {
    httpServer,
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const { port } = httpServer.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          resolve(`http://${host}:${port}`);
        });
      });
    },
    async close({ delayMs = 0 } = {}) {
      if (shuttingDown) return;
      shuttingDown = true;
      if (delayMs > 0) {
        log.info({ delayMs }, 'not ready; serving until the shutdown delay passes');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      closing = true;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await ws.dispose(); // closes every socket with 1001 Going Away
      for (const res of eventStreams) res.end();
      httpServer.closeIdleConnections();
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            notifyIdle = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, config.shutdownTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
      }
      if (inFlight.size > 0)
        log.warn({ requests: inFlight.size }, 'shutdown deadline passed; cutting requests');
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A request whose Content-Length is over the body limit (0 = no limit); chunked bodies are counted by yoga. */
function declaresOversizedBody(req: IncomingMessage, maxBytes: number): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  return maxBytes > 0 && Number.isFinite(declared) && declared > maxBytes;
}
