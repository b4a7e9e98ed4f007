import type { DocumentNode } from 'graphql';
import { ByteBoundedCache } from './byte-bounded-cache.js';

/**
 * yoga's `parserAndValidationCache` with the parsed documents and parse errors bounded by the
 * bytes of their source text (yoga's default keeps 1024 of each, whatever their size: nine
 * distinct 5 MB documents held 3 GB). Validation results hang off the document (a WeakMap), so
 * they go with it.
 */
export function boundedParserCache(maxBytes: number) {
  return {
    documentCache: new ByteBoundedCache<DocumentNode>(maxBytes),
    errorCache: new ByteBoundedCache<unknown>(Math.max(Math.floor(maxBytes / 4), 0)),
  };
}
