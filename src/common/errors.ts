/**
 * The one list of error codes clients see in `extensions.code` (API.md). Anything else that
 * escapes a resolver is a bug and reaches clients as INTERNAL_SERVER_ERROR, without its message
 * or stack outside development (see server.ts).
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  /** An argument is malformed or out of range; `extensions.argumentName` names it. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The record an operation targets does not exist (lookups return null instead). */
  NOT_FOUND: 'NOT_FOUND',
  /** A write without a valid API key. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid key whose role is too low. */
  FORBIDDEN: 'FORBIDDEN',
  /** An update based on a stale version of the record. */
  CONFLICT: 'CONFLICT',
  /** The operation's computed cost is over MAX_COST; `extensions.cost` has the figures. */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /** The operation nests deeper than MAX_DEPTH. */
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  /** The operation uses more aliases than MAX_ALIASES. */
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  /** A batched HTTP request holds more operations than MAX_BATCH. */
  BATCH_LIMIT_EXCEEDED: 'BATCH_LIMIT_EXCEEDED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose messages are written for clients and pass through unmasked. */
export const PUBLIC_CODES: ReadonlySet<string> = new Set([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.CONFLICT,
  ErrorCode.COST_LIMIT_EXCEEDED,
  ErrorCode.DEPTH_LIMIT_EXCEEDED,
  ErrorCode.ALIAS_LIMIT_EXCEEDED,
  ErrorCode.BATCH_LIMIT_EXCEEDED,
  // Apollo's own codes for malformed operations.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export function badUserInput(argumentName: string, message: string): GraphQLError {
  return new GraphQLError(`${argumentName}: ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName },
  });
}
