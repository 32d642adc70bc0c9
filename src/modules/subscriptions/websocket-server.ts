/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol), on the HTTP server's port and
 * at its path, /graphql. Queries and mutations stay on HTTP, where the response cache, deadlines
 * and cache headers live; this transport runs subscriptions only.
 *
 * Every subscription passes the checks an HTTP operation passes, in the same order and with the
 * same codes: the request rate per key or address (RATE_LIMIT_PER_SECOND, one subscription
 * counting as one request), trusted documents, document and variable limits
 * (limits/document-limits.ts, limits/variable-limits.ts), parsing, validation, the key (looked
 * up again for each subscription, so a revoked key stops working at once), cost (MAX_COST), and
 * the roles declared on the schema (`changes` needs ADMIN). Each event's size is checked
 * against MAX_RESPONSE_BYTES, and errors are masked as over HTTP.
 *
 * Per connection: WS_MAX_MESSAGE_BYTES per message (larger closes the socket, code 1009),
 * WS_MAX_SUBSCRIPTIONS at once; per address, WS_CONNECTIONS_PER_MINUTE new connections; per
 * instance, WS_MAX_CONNECTIONS. The key travels in `connectionParams` (`{ "Authorization":
 * "Bearer …" }`) and is checked when the connection opens: an unknown or revoked key closes it
 * with 4401, and counts towards AUTH_FAILURES_PER_MINUTE like a bad key over HTTP. Browsers
 * don't apply CORS to WebSockets, so the handshake's Origin is checked against CORS_ORIGINS here.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { getComplexity } from 'graphql-query-complexity';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config, Limits } from '../../config';
import { createContext } from '../../context';
import type { PrismaClient } from '../../generated/prisma/client';
import {
  ErrorCode,
  PUBLIC_CODES,
  badRequest,
  badUserInputRefusal,
  limitExceeded,
  persistedQueryNotInList,
  rateLimited,
  resultTooLarge,
  unauthenticatedError,
} from '../../common/errors';
import { clientKey, type RateLimits } from '../../common/http/rate-limit';
import { costEstimator, measureResult } from '../../common/limits/cost';
import { checkDocument, type DocumentRefusal } from '../../common/limits/document-limits';
import { sha256, type TrustedDocuments } from '../../common/limits/trusted-documents';
import { checkVariables } from '../../common/limits/variable-limits';
import type { Logger } from '../../common/logger';
import { callerFromHeader, type Caller } from '../auth/api-key.service';
import type { ChangeHub } from './change-hub';
import type { SubscriptionContext } from './subscription.types';

export const SUBSCRIPTIONS_PATH = '/graphql';

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  prisma: PrismaClient;
  hub: ChangeHub;
  limits: Limits;
  settings: Config['subscriptions'];
  readsRequireKey: boolean;
  introspection: boolean;
  exposeErrorDetails: boolean;
  trusted?: TrustedDocuments;
  /** Whether a browser page of this origin may connect (CORS_ORIGINS). */
  originAllowed(origin: string | undefined): boolean;
  /** The client's address, as Express would see it (TRUST_PROXY). */
  clientAddress(request: IncomingMessage): string;
  rateLimits: RateLimits;
  logger: Logger;
}

export interface SubscriptionServer {
  /** Ends the subscriptions and closes the connections when Apollo drains the server. */
  plugin: ApolloServerPlugin<object>;
  /** Open connections. */
  readonly connections: number;
  /** Subscriptions listening for changes now (tests wait for theirs before writing). */
  readonly listeners: number;
  close(): Promise<void>;
}

/** What one connection knows about its client, from the handshake and connection_init. */
interface ConnectionState {
  address: string;
  authorization: string | undefined;
}

type Ctx = Pick<WsContext<Record<string, unknown> | undefined, Extra>, 'extra'>;

export function attachSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { httpServer, schema, prisma, hub, limits, settings, logger, rateLimits } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxMessageBytes });
  const states = new WeakMap<IncomingMessage, ConnectionState>();
  const stateOf = (ctx: Ctx) => states.get(ctx.extra.request)!;
  const newConnections =
    settings.connectionsPerMinute > 0
      ? new RateLimiterMemory({ keyPrefix: 'ws-connections', points: settings.connectionsPerMinute, duration: 60 })
      : undefined;
  const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  let closing = false;

  const format = (error: GraphQLError): GraphQLFormattedError => {
    const { http: _http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    if (options.exposeErrorDetails || (code !== undefined && PUBLIC_CODES.has(code))) {
      return {
        message: error.message,
        ...(error.locations && { locations: error.locations }),
        ...(error.path && { path: error.path }),
        extensions,
      };
    }
    logger.error(`unexpected error in a subscription${error.path ? ` at ${error.path.join('.')}` : ''}`, error.originalError ?? error);
    return {
      message: 'Internal server error',
      ...(error.path && { path: error.path }),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };

  const closeWith = (ctx: Ctx, code: number, reason: string): false => {
    // A close reason may hold 123 bytes.
    ctx.extra.socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
    return false;
  };

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      isProd: !options.exposeErrorDetails,
      async onConnect(ctx) {
        const state = stateOf(ctx);
        const authorization = authorizationOf(ctx.connectionParams);
        if (authorization !== undefined) {
          const blocked = await rateLimits.forClient.authBlocked(state.address);
          if (blocked)
            return closeWith(ctx, CloseCode.TooManyInitialisationRequests, `Too many unknown or revoked API keys; retry in ${blocked} s`);
        }
        let caller: Caller;
        try {
          caller = await callerFromHeader(prisma, authorization);
        } catch (error) {
          logger.warn(`subscriptions: cannot check a key (${(error as Error).message})`);
          return closeWith(ctx, 1013, 'The database is unavailable; retry shortly');
        }
        if (caller.kind === 'rejected') {
          await rateLimits.forClient.recordAuthFailure(state.address);
          return closeWith(ctx, CloseCode.Unauthorized, `Unauthorized: ${caller.reason}`);
        }
        if (options.readsRequireKey && caller.kind !== 'key') {
          return closeWith(ctx, CloseCode.Unauthorized, 'Unauthorized: this server needs an API key (connectionParams.Authorization)');
        }
        state.authorization = authorization;
        return true;
      },
      async onSubscribe(ctx, _id, payload) {
        const state = stateOf(ctx);
        // This subscription is already counted among the connection's.
        if (Object.keys(ctx.subscriptions).length > settings.maxPerConnection) {
          return [
            new GraphQLError(
              `A connection may hold ${settings.maxPerConnection} subscriptions at once; complete one or open another connection.`,
              {
                extensions: { code: ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, limit: 'subscriptions' },
              },
            ),
          ];
        }
        const wait = await rateLimits.forClient.consume(clientKey(state.authorization, state.address));
        if (wait) return [rateLimited(wait, 'requests')];
        const query = payload.query;
        if (typeof query !== 'string') return [badRequest('A subscription needs its document in `query`.')];
        if (options.trusted && (Buffer.byteLength(query) > limits.maxDocumentBytes || options.trusted.get(sha256(query)) === undefined)) {
          return [persistedQueryNotInList()];
        }
        const refusal = checkDocument(query, limits) ?? checkVariables(payload.variables ?? undefined);
        if (refusal) return [refusalError(refusal)];
        let document: DocumentNode;
        try {
          document = parse(query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return [coded(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0) return invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [badRequest('Name the operation to run (operationName): the document holds several, or none.')];
        if (operation.operation !== 'subscription') {
          return [
            badRequest(
              `Only subscriptions run over WebSocket; send ${operation.operation === 'query' ? 'queries' : 'mutations'} over HTTP (POST /graphql).`,
            ),
          ];
        }
        const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
        if (coercion.errors) return coercion.errors.map((error) => badUserInputRefusal(variableName(error), error.message));
        const cost = getComplexity({
          schema,
          query: document,
          variables: coercion.coerced,
          operationName: payload.operationName ?? undefined,
          estimators: [costEstimator],
        });
        if (cost > limits.maxCost) {
          return [
            limitExceeded(
              ErrorCode.COST_LIMIT_EXCEEDED,
              `Operation cost ${cost}, over the limit of ${limits.maxCost}; select less in each event.`,
              {
                cost: { requested: cost, limit: limits.maxCost },
              },
            ),
          ];
        }
        // The key is looked up again: it may have been revoked since the connection opened.
        let context: Awaited<ReturnType<typeof createContext>>;
        try {
          context = await createContext(prisma, state.authorization, { spent: cost });
        } catch {
          return [new GraphQLError('The database is unavailable; retry shortly.', { extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } })];
        }
        if (context.caller.kind === 'rejected') return [unauthenticatedError(context.caller.reason)];
        // A copy that keeps the context's prototype: its loaders are a getter there (context.ts).
        const contextValue: SubscriptionContext = Object.assign(Object.create(Object.getPrototypeOf(context)), context, { hub });
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
        return args;
      },
      onNext(_ctx, _id, _payload, _args, result): FormattedExecutionResult | void {
        const size = measureResult(result.data);
        if (size.bytes > limits.maxResponseBytes) {
          return {
            errors: [
              format(
                resultTooLarge(
                  `The event would hold about ${size.bytes} bytes, over the limit of ${limits.maxResponseBytes}; select less.`,
                ),
              ),
            ],
          };
        }
        if (result.errors?.length) return { ...(result.data !== undefined && { data: result.data }), errors: result.errors.map(format) };
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map(format);
      },
    },
    wss,
  );

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== SUBSCRIPTIONS_PATH)
      return refuseUpgrade(socket, 404, ErrorCode.NOT_FOUND, `Nothing at ${path}; subscriptions are at ${SUBSCRIPTIONS_PATH}.`);
    const origin = request.headers.origin;
    if (!options.originAllowed(origin)) {
      return refuseUpgrade(socket, 403, ErrorCode.FORBIDDEN, `Pages of ${origin} may not open subscriptions here (CORS_ORIGINS).`);
    }
    if (closing) return refuseUpgrade(socket, 503, ErrorCode.SERVICE_UNAVAILABLE, 'The server is stopping.');
    if (wss.clients.size >= settings.maxConnections) {
      return refuseUpgrade(socket, 503, ErrorCode.SERVICE_UNAVAILABLE, 'Too many open subscription connections; retry shortly.', 5);
    }
    const address = options.clientAddress(request);
    void (
      newConnections?.consume(address).then(
        () => null,
        (rejection) => (rejection instanceof RateLimiterRes ? Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) : null),
      ) ?? Promise.resolve(null)
    ).then((wait) => {
      if (wait)
        return refuseUpgrade(
          socket,
          429,
          ErrorCode.RATE_LIMITED,
          `Too many new subscription connections from this address; retry in ${wait} s.`,
          wait,
        );
      states.set(request, { address, authorization: undefined });
      wss.handleUpgrade(request, socket, head, (ws) => {
        quietClientFaults(ws, logger);
        wss.emit('connection', ws, request);
      });
    });
  };
  httpServer.on('upgrade', onUpgrade);

  const close = async () => {
    if (closing) return;
    closing = true;
    httpServer.off('upgrade', onUpgrade);
    hub.close();
    // Closes every socket (1001, going away) and the WebSocket server.
    await server.dispose();
  };
  return {
    plugin: {
      async serverWillStart() {
        return { drainServer: close };
      },
    },
    get connections() {
      return wss.clients.size;
    },
    get listeners() {
      return hub.listeners;
    },
    close,
  };
}

/** The key from connection_init's payload: `Authorization` (any case), also inside `headers`. */
export function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  if (!params || typeof params !== 'object') return undefined;
  for (const source of [params, params.headers]) {
    if (!source || typeof source !== 'object') continue;
    for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
      if (name.toLowerCase() === 'authorization' && typeof value === 'string' && value !== '') return value;
    }
  }
  return undefined;
}

/**
 * A client breaking the protocol (a message over WS_MAX_MESSAGE_BYTES, a bad frame) makes `ws`
 * close the socket with the right code (1009, 1002) and emit an error, which graphql-ws would
 * log as an internal one. It is the client's fault: logged at debug level only.
 */
function quietClientFaults(socket: WebSocket, logger: Logger): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    const code = (args[0] as { code?: unknown } | undefined)?.code;
    if (event === 'error' && typeof code === 'string' && code.startsWith('WS_ERR_')) {
      logger.debug(`subscriptions: closed a connection that broke the protocol (${code})`);
      return true;
    }
    return emit(event, ...args);
  }) as typeof socket.emit;
}

function refusalError(refusal: DocumentRefusal): GraphQLError {
  if (refusal.code === ErrorCode.BAD_USER_INPUT) return badUserInputRefusal(refusal.argumentName!, refusal.message.replace(/^[^:]*: /, ''));
  return limitExceeded(refusal.code, refusal.message, refusal.limit ? { limit: refusal.limit } : {});
}

function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

function variableName(error: GraphQLError): string {
  const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
  return name ? `$${name}` : 'variables';
}

function refuseUpgrade(socket: Duplex, status: number, code: string, message: string, retryAfter?: number): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n` +
      `${retryAfter ? `retry-after: ${retryAfter}\r\n` : ''}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
