import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { createGatewayYoga, GRAPHQL_PATH } from './create-yoga.js';
import { createGraphqlWsServer, isAllowedOrigin } from './graphql-ws-server.js';
import { handleOperationalRoute } from './http-routes.js';
import type { GatewayServices } from './services.js';

export interface GatewayServerOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  jit?: boolean;
  responseCache?: boolean;
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
  const yoga = createGatewayYoga({ ...options, graphiql: config.graphiql });
  const ws = createGraphqlWsServer({
    yoga,
    metrics: services.metrics,
    maxPayloadBytes: config.limits.maxBodyBytes,
  });
  const sockets = new Set<Socket>();
  const inFlight = new Set<ServerResponse>();
  const eventStreams = new Set<ServerResponse>();
  /** Readiness reports 503 from here on (SIGTERM arrived); requests are still served. */
  let shuttingDown = false;
  /** The listener is closing: new WebSockets are refused, connections end. */
  let closing = false;
  let notifyIdle: (() => void) | undefined;

  const httpServer = createServer((req, res) => {
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
    if (await handleOperationalRoute(req, res, { ...services, shuttingDown: () => shuttingDown })) return;
    const sse = (req.headers.accept ?? '').includes('text/event-stream');
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
