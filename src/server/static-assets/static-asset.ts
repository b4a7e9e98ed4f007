import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ContentCoding } from '../compression/accept-encoding.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * A file served from memory with its compressed forms, made once and off the event loop (zlib's
 * async calls run on the thread pool), at the strongest levels: they are paid once per process.
 */
export class StaticAsset {
  readonly etag: string;
  private readonly encoded = new Map<ContentCoding, Promise<Buffer>>();

  constructor(
    readonly contentType: string,
    readonly body: Buffer,
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  }

  static text(contentType: string, text: string): StaticAsset {
    return new StaticAsset(contentType, Buffer.from(text, 'utf8'));
  }

  /** The body in `coding`, or as is. */
  bytes(coding: ContentCoding | undefined): Promise<Buffer> {
    if (!coding) return Promise.resolve(this.body);
    let encoded = this.encoded.get(coding);
    if (!encoded) {
      encoded =
        coding === 'br'
          ? brotli(this.body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 9,
                [constants.BROTLI_PARAM_SIZE_HINT]: this.body.length,
              },
            })
          : gzipAsync(this.body, { level: 9 });
      this.encoded.set(coding, encoded);
    }
    return encoded;
  }
}
