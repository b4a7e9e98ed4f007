import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type GatewayErrorCode, gatewayError } from '../../resolvers/graphql-errors.js';

/** A GraphQL-over-HTTP error body for a request refused before yoga saw it. */
export function refusalBody(code: GatewayErrorCode, message: string): { status: number; body: string } {
  const error = gatewayError(code, message);
  const { http, ...extensions } = error.extensions as { http: { status: number } };
  return { status: http.status, body: JSON.stringify({ errors: [{ message, extensions }] }) };
}

export function refuseRequest(res: ServerResponse, code: GatewayErrorCode, message: string): void {
  const { status, body } = refusalBody(code, message);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Answers a WebSocket upgrade with a plain HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, message = ''): void {
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
