import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import { boundedMessage } from './use-bounded-error-messages.js';

/**
 * `extensions.http` (gatewayError's HTTP status) is for the server, never for a client.
 *
 * - Over HTTP, yoga picks the response status from the errors' `http.status` even when the
 *   result has data, so one failing alias of a mutation made the whole response a 404. A result
 *   with data is a GraphQL success (GraphQL over HTTP: 200): this plugin removes `http` from
 *   its errors before yoga chooses the status. A result without data keeps it, so a refused
 *   operation still answers 400/401/429, and yoga's serializer drops it from the body.
 * - graphql-ws has no status and no such serializer: graphql-ws-server passes every payload
 *   through `withoutHttpExtensions`.
 */
export function useStripHttpExtensions(): Plugin<GatewayContext> {
  return {
    onExecute: () => ({
      onExecuteDone: (payload) => {
        const strip = ({
          result,
          setResult,
        }: {
          result: ExecutionResult;
          setResult(r: ExecutionResult): void;
        }) => {
          if (result.data != null && hasHttpExtension(result)) setResult(withoutHttpExtensions(result));
        };
        if (isAsyncIterable(payload.result)) return { onNext: strip };
        strip({ result: payload.result, setResult: payload.setResult });
        return undefined;
      },
    }),
  };
}

/** The result with `extensions.http` removed from its errors and its own extensions. */
export function withoutHttpExtensions<T extends ExecutionResult>(result: T): T {
  if (!hasHttpExtension(result)) return result;
  const stripped: T = { ...result };
  if (result.errors) stripped.errors = result.errors.map(errorWithoutHttp);
  if (result.extensions && 'http' in result.extensions) {
    const { http: _http, ...rest } = result.extensions;
    stripped.extensions = rest;
  }
  return stripped;
}

export function errorWithoutHttp(error: GraphQLError): GraphQLError {
  if (!error.extensions || !('http' in error.extensions)) return error;
  const { http: _http, ...extensions } = error.extensions;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions,
  });
}

/** What graphql-ws sends for a result: its JSON form, without `extensions.http`. */
export function formattedWithoutHttp(result: ExecutionResult): FormattedExecutionResult {
  const { errors, extensions, ...rest } = result;
  const formatted: FormattedExecutionResult = { ...rest };
  if (errors) formatted.errors = errors.map(formattedErrorWithoutHttp);
  if (extensions) {
    const { http: _http, ...others } = extensions;
    if (Object.keys(others).length > 0) formatted.extensions = others;
  }
  return formatted;
}

/** An error's JSON form without `extensions.http` (graphql-ws's onError answers these). */
export function formattedErrorWithoutHttp(error: GraphQLError): GraphQLFormattedError {
  const full: GraphQLFormattedError = typeof error.toJSON === 'function' ? error.toJSON() : { ...error };
  const json = { ...full, message: boundedMessage(full.message) };
  if (!json.extensions || !('http' in json.extensions)) return json;
  const { http: _http, ...extensions } = json.extensions;
  const { extensions: _old, ...rest } = json;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

function hasHttpExtension(result: ExecutionResult): boolean {
  return (
    (result.extensions !== undefined && 'http' in result.extensions) ||
    (result.errors?.some((e) => e.extensions !== undefined && 'http' in e.extensions) ?? false)
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
