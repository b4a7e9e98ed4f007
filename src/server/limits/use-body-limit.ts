import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

/**
 * HTTP 413 for a request body above `maxBytes`, before it is read. yoga's own
 * maxRequestBodySize pipes every body through a byte-counting stream; here a body with a valid
 * Content-Length (which Node's HTTP parser holds the body to) is judged by its header alone, and
 * only a body without one (chunked) is counted as it streams.
 */
export function useBodyLimit(maxBytes: number): Plugin<GatewayContext> {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      const declared = request.headers.get('content-length');
      if (declared !== null && /^\d+$/.test(declared)) {
        if (Number(declared) > maxBytes) throw bodyTooLarge(maxBytes);
        return;
      }
      if (declared !== null)
        throw createGraphQLError('Content-Length header is invalid', {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(counted(req, maxBytes)));
    },
  };
}

function bodyTooLarge(maxBytes: number) {
  return createGraphQLError(`Request body exceeds --max-body-size ${maxBytes} bytes`, {
    extensions: {
      code: 'REQUEST_ENTITY_TOO_LARGE',
      limit: 'max-body-size',
      max: maxBytes,
      http: { status: 413 },
    },
  });
}

/** The request with a body that errors once more than `maxBytes` have streamed. */
function counted(request: Request, maxBytes: number): Request {
  let bytes = 0;
  const body = request.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) controller.error(bodyTooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}
