/**
 * One log line per GraphQL operation, and the metrics and trace span that go with it.
 *
 * - `requestIdMiddleware` gives every HTTP request an id: the caller's `X-Request-Id` when it is
 *   a sane token (a proxy's or a client's, so that their logs and ours can be joined), otherwise
 *   a new UUID. It is echoed in the response's `X-Request-Id` and is on every line below.
 * - `operationLogPlugin` (Apollo) writes, when each operation's response is sent: its name and
 *   type, duration, cost (`extensions.cost`), whether the response cache answered it, the HTTP
 *   status and the error codes sent; it counts it in /metrics and ends its span. A batch is one
 *   line per operation.
 * - `refusalLogMiddleware` writes the line for requests refused before any operation could be
 *   read (rate limit, body too large, malformed JSON, document limits), which Apollo never sees.
 *
 * Nothing here logs variables, documents or headers: they may hold keys or personal data.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { trace, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { Kind, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { Context } from '../context';
import type { Logger, LogFields } from '../common/logger';
import { outcomeOf, UNREAD_OPERATION, type Metrics } from './metrics';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[\w.:/+=@-]{1,128}$/;
const TRACER = 'uscn-engagements-api';

/** What the HTTP layer learns about a request's operations. */
interface Observed {
  startedAt: bigint;
  operations: number;
}

export function requestIdMiddleware(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers[REQUEST_ID_HEADER];
    const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    // Apollo's plugins see the request's headers, not Express's res.locals: they read it there.
    req.headers[REQUEST_ID_HEADER] = id;
    res.locals.requestId = id;
    const observed: Observed = { startedAt: process.hrtime.bigint(), operations: 0 };
    res.locals.observed = observed;
    res.setHeader(REQUEST_ID_HEADER, id);
    // Reaches Apollo's plugins through the operation's context (server.ts), which sees res.locals.
    next();
  };
}

/**
 * For /graphql: when a response goes out without any operation having been logged, the request
 * was refused before Apollo read it; log and count it here, with the codes sendGraphQLErrors sent.
 */
export function refusalLogMiddleware(logger: Logger, metrics: Metrics | undefined): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const observed = res.locals.observed as Observed | undefined;
      if (!observed || observed.operations > 0 || req.method === 'OPTIONS') return;
      const errorCodes = ((res.locals.errorCodes as string[] | undefined) ?? []).filter(unique);
      // A page, not an operation: the explorer's landing page at GET /graphql.
      if (res.statusCode < 400 && errorCodes.length === 0) return;
      const seconds = elapsedSeconds(observed.startedAt);
      const outcome = outcomeOf(res.statusCode, errorCodes);
      metrics?.recordOperation({ operation: UNREAD_OPERATION, type: 'unknown', outcome, seconds, errorCodes });
      const fields: LogFields = {
        requestId: res.locals.requestId,
        operation: null,
        status: res.statusCode,
        durationMs: round(seconds * 1000),
        errorCodes,
      };
      logger.info(`${req.method} ${req.path} refused → ${res.statusCode}${errorCodes.length ? ` ${errorCodes.join(',')}` : ''}`, fields);
    });
    next();
  };
}

export interface OperationLogOptions {
  logger: Logger;
  metrics?: Metrics;
  /** Whether the server-side response cache is on: only then are hits and misses counted. */
  responseCache: boolean;
}

export function operationLogPlugin({ logger, metrics, responseCache }: OperationLogOptions): ApolloServerPlugin<Context> {
  const tracer = trace.getTracer(TRACER);
  return {
    async requestDidStart({ request }) {
      const startedAt = process.hrtime.bigint();
      const requestId = request.http?.headers.get(REQUEST_ID_HEADER);
      // A child of the HTTP request's span (tracing.ts); a no-op when tracing is off.
      const span: Span = tracer.startSpan('graphql.operation', { attributes: { 'graphql.request_id': requestId ?? '' } });
      return {
        async didResolveOperation({ operationName, operation }) {
          if (!operation) return;
          span.updateName(`${operation.operation} ${operationName ?? 'anonymous'}`);
          span.setAttributes({ 'graphql.operation.type': operation.operation, 'graphql.operation.name': operationName ?? '' });
        },
        async willSendResponse({
          response,
          operationName: resolvedName,
          operation: resolved,
          document,
          metrics: requestMetrics,
          contextValue,
        }) {
          const seconds = elapsedSeconds(startedAt);
          // An operation refused by validation was never resolved: name it from its document.
          const operation = resolved ?? soleOperation(document);
          const operationName = resolvedName ?? request.operationName ?? operation?.name?.value ?? null;
          // The client's `operationName` may be any string: cut, and nothing that could start a fake line.
          const shownName = operationName === null ? null : printable(operationName.slice(0, 100));
          const status = response.http.status ?? 200;
          const single = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const errorCodes = codesOf(single.errors).filter(unique);
          const type = operation?.operation ?? 'unknown';
          const outcome = outcomeOf(status, errorCodes);
          const cost = single.extensions?.cost as { requested?: number; actual?: number } | undefined;
          const cacheHit = requestMetrics.responseCacheHit === true;
          // A query the cache was asked about: answered from it, or run and (maybe) stored.
          const cacheConsulted = responseCache && type === 'query' && (cacheHit || single.data != null);
          if (cacheConsulted) metrics?.recordCache(cacheHit);
          metrics?.recordOperation({ operation: metrics.operationLabel(operationName), type, outcome, seconds, errorCodes });
          if (contextValue?.observed) contextValue.observed.operations += 1;

          const fields: LogFields = {
            requestId,
            operation: shownName,
            type,
            durationMs: round(seconds * 1000),
            cost: cost ? { requested: cost.requested, actual: cost.actual } : null,
            cacheHit: responseCache ? cacheHit : null,
            status,
            errorCodes,
          };
          const caller = contextValue?.caller;
          if (caller?.kind === 'key') fields.caller = { role: caller.role, apiKeyName: caller.name };
          const line = `${type} ${shownName ?? '(anonymous)'} → ${status} in ${fields.durationMs} ms${cacheHit ? ' (cached)' : ''}${errorCodes.length ? ` ${errorCodes.join(',')}` : ''}`;
          if (outcome === 'server_error') logger.warn(line, fields);
          else logger.info(line, fields);

          span.setAttributes({
            'http.response.status_code': status,
            'graphql.cache_hit': cacheHit,
            'graphql.cost.requested': cost?.requested ?? 0,
          });
          if (errorCodes.length) span.setAttribute('graphql.error_codes', errorCodes);
          if (outcome === 'server_error') span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes.join(',') });
          span.end();
        },
      };
    },
  };
}

/** Control characters (newlines included) as `?`. */
function printable(text: string): string {
  return [...text].map((char) => (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f ? '?' : char)).join('');
}

function soleOperation(document: DocumentNode | undefined): OperationDefinitionNode | undefined {
  const operations = document?.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return operations?.length === 1 ? operations[0] : undefined;
}

function codesOf(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map((error) => (typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR'));
}

function unique<T>(value: T, index: number, list: T[]): boolean {
  return list.indexOf(value) === index;
}

function elapsedSeconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
