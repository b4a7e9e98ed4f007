import { Lexer, Source, TokenKind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { ByteBoundedCache } from './byte-bounded-cache.js';
import { operationTooComplex } from './limit-error.js';

/**
 * Counts the tokens of an HTTP request's query before any other plugin sees its params: the
 * node response cache parses the query in onParams, ahead of the (token-limited) parse, so an
 * oversized document would be parsed whole there. Lexing stops at the limit. graphql-ws
 * operations skip onParams; armor's token limit in the parser covers them.
 */
export function useTokenPrecheck(maxTokens: number): Plugin<GatewayContext> {
  // Queries that passed, remembered (bounded): a UI sends the same few again and again, and
  // lexing each one anew was most of what the limits cost a response-cache hit.
  const passed = new ByteBoundedCache<true>(1024 * 1024, 1000);
  return {
    onParams({ params }) {
      if (typeof params.query !== 'string' || passed.get(params.query)) return;
      const count = countTokens(params.query, maxTokens + 1);
      if (count > maxTokens) throw operationTooComplex('max-tokens', maxTokens);
      passed.set(params.query, true);
    },
  };
}

/** Tokens of `text` (comments excluded, as the parser counts them), counting at most `stopAt`. */
export function countTokens(text: string, stopAt: number): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (count < stopAt && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // A syntax error: the parser reports it properly.
  }
  return count;
}
