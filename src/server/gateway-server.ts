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
   * Graceful stop: readiness turns 503, no new connections, WebSockets close with 1001, SSE
   * streams end, in-flight requests get until the shutdown deadline, then sockets are cut.
   */
  close(): Promise<void>;
}

/** One HTTP server: yoga on /graphql (HTTP + SSE), graphql-ws upgrades on /graphql, ops routes. */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const { services } = options;
  const { config, logger } = services;
  const log = logger.child({ component: 'server' });
  const yoga = createGatewayYoga({ ...options, graphiql: config.graphiql });
  const ws = createGraphqlWsServer({ yoga, metrics: services.metrics });
  const sockets = new Set<Socket>();
  const inFlight = new Set<ServerResponse>();
  const eventStreams = new Set<ServerResponse>();
  let shuttingDown = false;
  let notifyIdle: (() => void) | undefined;

  const httpServer = createServer((req, res) => {
    inFlight.add(res);
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
    if (shuttingDown || path !== GRAPHQL_PATH || !isAllowedOrigin(req, config.allowedOrigins)) {
      const status = shuttingDown
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
    async close() {
      if (shuttingDown) return;
      shuttingDown = true;
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
