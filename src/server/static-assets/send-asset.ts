import type { IncomingMessage, ServerResponse } from 'node:http';
import { negotiateContentCoding } from '../compression/accept-encoding.js';
import type { StaticAsset } from './static-asset.js';

/** For URLs that change whenever their content does (a version or hash in the path). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** For entry pages at fixed URLs: cached, but revalidated (ETag) on every use. */
export const REVALIDATE = 'no-cache';

/** GET/HEAD of an asset: 304 on a matching ETag, else its best encoding for the client. */
export async function sendAsset(
  req: IncomingMessage,
  res: ServerResponse,
  asset: StaticAsset,
  cacheControl: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-length': '0' });
    res.end();
    return;
  }
  const headers: Record<string, string> = {
    'cache-control': cacheControl,
    etag: asset.etag,
    vary: 'Accept-Encoding',
    'x-content-type-options': 'nosniff',
  };
  if (matchesEtag(req.headers['if-none-match'], asset.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const coding = negotiateContentCoding(req.headers['accept-encoding'], ['br', 'gzip']);
  const body = await asset.bytes(coding);
  res.writeHead(200, {
    ...headers,
    'content-type': asset.contentType,
    'content-length': String(body.length),
    ...(coding ? { 'content-encoding': coding } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}
