import type { ExecutionResult, GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';

/** Longest error message a client gets; graphql-js quotes a bad literal whole (a 100 KB string). */
export const MAX_ERROR_MESSAGE_CHARS = 1000;

/** `message` cut to MAX_ERROR_MESSAGE_CHARS, saying how long it was. */
export function boundedMessage(message: string): string {
  if (message.length <= MAX_ERROR_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}… (message cut: ${message.length} characters)`;
}

/**
 * Cuts long error messages before any response is written (HTTP and SSE; graphql-ws-server
 * applies boundedMessage to its payloads). Our own errors quote at most ~100 characters of
 * input already (quoteInput); graphql-js's validation and coercion messages repeat the offending
 * literal whole, so a 100 KB argument came back as a 100 KB error.
 */
export function useBoundedErrorMessages(): Plugin<GatewayContext> {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) {
        if (result.some(hasLongMessage)) setResult(result.map(bounded));
        return;
      }
      if (isExecutionResult(result) && hasLongMessage(result)) setResult(bounded(result));
    },
  };
}

function hasLongMessage(result: ExecutionResult): boolean {
  return result.errors?.some((e) => e.message.length > MAX_ERROR_MESSAGE_CHARS) ?? false;
}

function bounded(result: ExecutionResult): ExecutionResult {
  if (!hasLongMessage(result)) return result;
  return { ...result, errors: result.errors?.map(boundedError) };
}

function boundedError(error: GraphQLError): GraphQLError {
  if (error.message.length <= MAX_ERROR_MESSAGE_CHARS) return error;
  return createGraphQLError(boundedMessage(error.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === 'object' && value !== null && !(Symbol.asyncIterator in value);
}
