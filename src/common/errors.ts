/**
 * The one catalogue of errors clients see: their codes (`extensions.code`, listed in API.md and
 * the README), the constructors that build them, and the mapping of database failures onto them.
 * Anything else that escapes a resolver is a bug and reaches clients as INTERNAL_SERVER_ERROR,
 * without its message or stack unless error details are switched on (see server.ts).
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  /** An argument or variable is malformed or out of range; `extensions.argumentName` names it. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The HTTP request itself is malformed (not JSON, no query, wrong content type). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The record an operation targets does not exist (lookups return null instead). */
  NOT_FOUND: 'NOT_FOUND',
  /** A write (or, with READS_REQUIRE_KEY, any operation) without a valid API key. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid key whose role is too low. */
  FORBIDDEN: 'FORBIDDEN',
  /** An update based on a stale version of the record, or a record created twice at once. */
  CONFLICT: 'CONFLICT',
  /** The operation's (or the batch's) computed cost is over MAX_COST; `extensions.cost` has the figures. */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /** The operation nests deeper than MAX_DEPTH. */
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  /** The operation uses more aliases than MAX_ALIASES. */
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  /** A batched HTTP request holds more operations than MAX_BATCH. */
  BATCH_LIMIT_EXCEEDED: 'BATCH_LIMIT_EXCEEDED',
  /**
   * The document is too big to be worth parsing or validating: too many bytes, tokens, fields
   * (fragments expanded), directives or operations. `extensions.limit` names which.
   */
  DOCUMENT_LIMIT_EXCEEDED: 'DOCUMENT_LIMIT_EXCEEDED',
  /**
   * A subscription connection is over one of its limits: `extensions.limit` is `subscriptions`
   * (more at once than WS_MAX_SUBSCRIPTIONS) or `backlog` (events not read as fast as they come).
   */
  SUBSCRIPTION_LIMIT_EXCEEDED: 'SUBSCRIPTION_LIMIT_EXCEEDED',
  /** The response would hold more objects or bytes than the server sends for one request. */
  RESULT_TOO_LARGE: 'RESULT_TOO_LARGE',
  /** The operation did not finish within REQUEST_TIMEOUT_MS; its database work was cancelled. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** Too many requests from this key or address; `Retry-After` says when to come back. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Trusted-documents mode: only operations on the server's list may run. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** The database cannot be reached or the server is overloaded; `Retry-After` says when to retry. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose messages are written for clients and pass through unmasked. */
export const PUBLIC_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  // Apollo's own codes for malformed operations and persisted queries.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Seconds a client is told to wait (`Retry-After`) when the database is unavailable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

type Extensions = Record<string, unknown>;

function coded(
  code: ErrorCode,
  message: string,
  status: number,
  extensions: Extensions = {},
  headers?: Record<string, string>,
): GraphQLError {
  const http = headers ? { status, headers: new Map(Object.entries(headers)) } : { status };
  return new GraphQLError(message, { extensions: { code, ...extensions, http } });
}

/**
 * No HTTP status of its own: raised during execution, it leaves the response at 200 (the
 * GraphQL-over-HTTP rule once execution has started); refusals before execution get 400.
 */
export function badUserInput(argumentName: string, message: string, extensions: Extensions = {}): GraphQLError {
  return new GraphQLError(`${argumentName}: ${message}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName, ...extensions } });
}

/** BAD_USER_INPUT refusing an operation before it runs: 400, as for a validation failure. */
export function badUserInputRefusal(argumentName: string, message: string): GraphQLError {
  return coded(ErrorCode.BAD_USER_INPUT, `${argumentName}: ${message}`, 400, { argumentName });
}

export function badRequest(message: string, status = 400): GraphQLError {
  return coded(ErrorCode.BAD_REQUEST, message, status);
}

export function notFound(message: string): GraphQLError {
  return coded(ErrorCode.NOT_FOUND, message, 404);
}

export function unauthenticatedError(reason: string): GraphQLError {
  return coded(ErrorCode.UNAUTHENTICATED, `Not authenticated: ${reason}. Send "Authorization: Bearer <key>".`, 401);
}

export function forbidden(message: string): GraphQLError {
  return coded(ErrorCode.FORBIDDEN, message, 403);
}

export function conflict(message: string): GraphQLError {
  return coded(ErrorCode.CONFLICT, message, 409);
}

/** A refusal before execution (limits): 400, as for a validation failure. */
export function limitExceeded(code: ErrorCode, message: string, extensions: Extensions = {}): GraphQLError {
  return coded(code, message, 400, extensions);
}

export function resultTooLarge(message: string): GraphQLError {
  return coded(ErrorCode.RESULT_TOO_LARGE, message, 400);
}

/**
 * 400, not 5xx: the database is healthy (an outage is SERVICE_UNAVAILABLE), so the operation
 * asked for more work than one request may do, like one over MAX_COST.
 */
export function requestTimeout(timeoutMs: number): GraphQLError {
  return coded(
    ErrorCode.REQUEST_TIMEOUT,
    `The operation did not finish within ${timeoutMs} ms and was stopped; ask for less (smaller pages, narrower filters).`,
    400,
    { timeoutMs },
  );
}

export function rateLimited(retryAfterSeconds: number, what: string): GraphQLError {
  return coded(
    ErrorCode.RATE_LIMITED,
    `Too many ${what}; retry in ${retryAfterSeconds} s.`,
    429,
    { retryAfterSeconds },
    {
      'retry-after': String(retryAfterSeconds),
    },
  );
}

export function serviceUnavailable(message = 'The database is unavailable; retry shortly.'): GraphQLError {
  return coded(
    ErrorCode.SERVICE_UNAVAILABLE,
    message,
    503,
    { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    {
      'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
    },
  );
}

export function persistedQueryNotInList(): GraphQLError {
  return coded(
    ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
    'This server runs only the operations on its trusted-documents list; this one is not on it.',
    400,
  );
}

// ---------------------------------------------------------------------------------------------
// Database failures. Prisma with @prisma/adapter-pg reports PostgreSQL errors as
// PrismaClientKnownRequestError P2010 with the SQLSTATE in meta.driverAdapterError.cause
// (`originalCode`), unique violations as P2002, and connection failures by `kind`; pg itself
// throws DatabaseError with `code`. These helpers read all of those shapes.

/** SQLSTATE codes a write transaction retries: serialization failure and deadlock. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

interface AdapterCause {
  originalCode?: string;
  code?: string;
  kind?: string;
}

function adapterCause(error: unknown): AdapterCause | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } } | null)?.meta;
  return meta?.driverAdapterError?.cause ?? (error as { cause?: AdapterCause } | null)?.cause;
}

/** The PostgreSQL SQLSTATE behind an error, if there is one. */
export function sqlState(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const cause = adapterCause(error);
  if (typeof cause?.originalCode === 'string') return cause.originalCode;
  if (cause?.kind === 'UniqueConstraintViolation') return '23505';
  if (cause?.kind === 'TransactionWriteConflict') return '40001';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  if (code === 'P2002') return '23505';
  if (code === 'P2034') return '40001';
  return undefined;
}

/** A unique constraint refused the write: two clients created the same thing at once. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** A serialization failure or deadlock: the transaction can be run again as it is. */
export function isRetryableTransactionError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}

/** Invalid text for PostgreSQL (a NUL byte, a broken encoding): the client's input was bad. */
export function isInvalidTextError(error: unknown): boolean {
  const state = sqlState(error);
  return state === '22021' || state === '22P05';
}

const CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
const CONNECTION_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|query read timeout|connection error|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|server closed the connection|Can't reach database server|terminating connection|the database system is (starting up|shutting down)/i;

/**
 * The error says the database could not be reached or dropped the connection (as opposed to
 * refusing a statement). A hint only: server.ts asks the database itself before it answers 503.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const state = sqlState(current);
    if (state && (state.startsWith('08') || state.startsWith('57P') || state === '53300')) return true;
    const kind = adapterCause(current)?.kind;
    if (kind && CONNECTION_KINDS.has(kind)) return true;
    if (current instanceof Error && CONNECTION_MESSAGES.test(current.message)) return true;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The code of a GraphQL error, if it has one. */
export function codeOf(error: { extensions?: Record<string, unknown> } | undefined): string | undefined {
  const code = error?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}
