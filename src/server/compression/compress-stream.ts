import { Duplex } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { ContentCoding } from './accept-encoding.js';

/**
 * A web TransformStream compressing with Node's zlib. Web CompressionStream has no brotli and no
 * level; dynamic answers want a fast level (brotli 4 costs about what gzip 6 does and is smaller).
 * Each written chunk is flushed through, so a streamed answer reaches the client as it is made.
 */
export function compressStream(coding: ContentCoding): ReadableWritablePair<Uint8Array, Uint8Array> {
  const zlib =
    coding === 'br'
      ? createBrotliCompress({
          params: { [constants.BROTLI_PARAM_QUALITY]: 4 },
          flush: constants.BROTLI_OPERATION_FLUSH,
        })
      : createGzip({ level: 6, flush: constants.Z_SYNC_FLUSH });
  return Duplex.toWeb(zlib) as ReadableWritablePair<Uint8Array, Uint8Array>;
}
