import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { negotiateContentCoding } from './accept-encoding.js';
import { compressStream } from './compress-stream.js';

/** Below this many bytes, compressing costs more than the bytes it saves. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * Compresses API answers when the client asks (Accept-Encoding: br or gzip). Written here, not
 * taken from @whatwg-node/server's useContentEncoding, because that plugin also inflates request
 * bodies with no bound (a 1 MiB gzip body can become gigabytes past --max-body-size), reads
 * Accept-Encoding without q-values, and compresses event streams, which would hold back SSE events
 * in the compressor's buffer.
 */
export function useResponseCompression(): Plugin<GatewayContext> {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (!isCompressible(response)) return;
      const coding = negotiateContentCoding(request.headers.get('accept-encoding'), ['br', 'gzip']);
      if (!coding || !response.body) {
        response.headers.append('vary', 'Accept-Encoding');
        return;
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.append('vary', 'Accept-Encoding');
      headers.set('content-encoding', coding);
      headers.delete('content-length');
      setResponse(
        new fetchAPI.Response(response.body.pipeThrough(compressStream(coding)), {
          status: response.status,
          headers,
        }),
      );
    },
  };
}

function isCompressible(response: Response): boolean {
  if (!response.body || response.status === 204 || response.status === 304) return false;
  if (response.headers.has('content-encoding')) return false;
  const type = response.headers.get('content-type') ?? '';
  // Event streams and multipart answers must reach the client event by event.
  if (!/^(application\/(graphql-response\+)?json|text\/html)/i.test(type)) return false;
  const length = response.headers.get('content-length');
  return length === null || Number(length) >= MIN_COMPRESSED_BYTES;
}
