import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../resolvers/graphql-errors.js';
import type { GatewayContext } from './context.js';

/**
 * Request media types a POST may carry. A cross-site page can POST forms
 * (application/x-www-form-urlencoded, multipart/form-data) and text/plain without a preflight,
 * and yoga would execute mutations from them; a JSON body needs a CORS preflight, which the
 * origin allowlist answers. application/graphql+json is the older GraphQL-over-HTTP request
 * type (yoga parses it); application/graphql-response+json is a response type some clients
 * echo as content-type.
 */
const JSON_MEDIA_TYPES = new Set([
  'application/json',
  'application/graphql+json',
  'application/graphql-response+json',
]);

/** The media type of a Content-Type header, without parameters (`; charset=utf-8`). */
export function mediaTypeOf(contentType: string | null): string | undefined {
  if (contentType === null) return undefined;
  return contentType.split(';', 1)[0]?.trim().toLowerCase() || undefined;
}

/** POST /graphql with anything but a JSON body: 415, before the body is read or anything runs. */
export function useJsonPostOnly(): Plugin<GatewayContext> {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const mediaType = mediaTypeOf(request.headers.get('content-type'));
      if (mediaType !== undefined && JSON_MEDIA_TYPES.has(mediaType)) return;
      throw gatewayError(
        'UNSUPPORTED_MEDIA_TYPE',
        `POST /graphql takes a JSON body (content-type: application/json), not ${mediaType ?? 'a body without content-type'}`,
      );
    },
  };
}
