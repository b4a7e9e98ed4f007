import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from '../platform/metrics.js';
import type { ReadinessRegistry } from '../platform/readiness.js';

/** /healthz, /readyz and /metrics; returns false when the path is not one of them. */
export async function handleOperationalRoute(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { readiness: ReadinessRegistry; metrics: GatewayMetrics; shuttingDown: () => boolean },
): Promise<boolean> {
  const path = (req.url ?? '/').split('?', 1)[0];
  switch (path) {
    case '/healthz':
      sendJson(res, 200, { status: 'ok' });
      return true;
    case '/readyz': {
      const report = deps.readiness.report();
      if (deps.shuttingDown())
        report.failing.push({ name: 'shutdown', reason: 'the gateway is shutting down' });
      const ready = report.failing.length === 0;
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', failing: report.failing });
      return true;
    }
    case '/metrics': {
      const body = await deps.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
      res.end(body);
      return true;
    }
    default:
      return false;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
