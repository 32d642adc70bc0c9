/**
 * The HTTP application: GraphQL at /graphql (Apollo Server 5 on Express 5) and /health.
 *
 * A request to /graphql passes, in order: security headers, the per-client rate limit, body
 * parsing, the request's deadline (common/request-scope.ts), the batch-size limit, the document
 * and variable checks (common/http/request-guard.ts), then Apollo, whose plugins add cost
 * limits, the cache policy, the response cache and the error policy. Every refusal on the way
 * is a coded GraphQL error in a JSON body.
 */
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type RequestHandler, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import helmet from 'helmet';
import { DEFAULT_CONFIG, type Config } from './config';
import { createContext, type Context } from './context';
import type { PrismaClient } from './generated/prisma/client';
import { ErrorCode, isConnectionError, PUBLIC_CODES, serviceUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from './common/errors';
import { errorPolicyPlugin } from './common/error-policy.plugin';
import { cachePolicyPlugin } from './common/http/cache-policy.plugin';
import { httpErrorHandler, sendGraphQLErrors } from './common/http/graphql-errors';
import { allowCredentiallessGet, legacyJsonStatusPlugin, limitBatchSize } from './common/http/graphql-over-http';
import { createRateLimits, type RateLimits } from './common/http/rate-limit';
import { requestGuard } from './common/http/request-guard';
import { responseCachePlugins } from './common/http/response-cache.plugin';
import { TrustedDocuments } from './common/limits/trusted-documents';
import type { Logger } from './common/logger';
import { operationLimitsPlugin } from './common/operation-limits.plugin';
import { createRequestScope, runInRequestScope, type RequestScopeHandle } from './common/request-scope';
import type { ChangeFeed } from './db/change-feed';
import { DatabaseHealth } from './db/database-health';
import { buildAppSchema } from './schema';
import { plannerPlugin } from './planner/planner.plugin';
import { createSplicer, type Splicer } from './planner/raw-json';
import { unauthenticated } from './modules/auth/auth-checker';
import proxyaddr from 'proxy-addr';
import type { GraphQLSchema } from 'graphql';
import { corsMiddleware, originAllowed } from './common/http/cors';
import { ChangeHub } from './modules/subscriptions/change-hub';
import { attachSubscriptionServer, type SubscriptionServer } from './modules/subscriptions/websocket-server';
import { mountPages, readExamples } from './web/pages';
import { sandboxLandingPage } from './web/sandbox-landing-page';
import { subscriptionsOverHttpPlugin } from './modules/subscriptions/subscriptions-over-http.plugin';
import { poolStats } from './db/prisma';
import { Metrics } from './observability/metrics';
import { mountProbes } from './observability/probes';
import { operationLogPlugin, refusalLogMiddleware, requestIdMiddleware } from './observability/request-log';

/** The settings createApp reads; anything not given takes its default (config.ts). */
export type AppConfig = Pick<
  Config,
  | 'exposeErrorDetails'
  | 'limits'
  | 'rateLimit'
  | 'trustProxy'
  | 'cacheMaxAge'
  | 'responseCacheBytes'
  | 'readsRequireKey'
  | 'introspection'
  | 'suggestions'
  | 'explorer'
  | 'trustedDocuments'
  | 'corsOrigins'
  | 'subscriptions'
  | 'planner'
  | 'metrics'
>;

export interface AppOptions {
  prisma: PrismaClient;
  /** Lets the server ask the database whether it is up (503s, /health). Tests may leave it out. */
  databaseUrl?: string;
  config?: Partial<Omit<AppConfig, 'limits' | 'rateLimit'>> & {
    limits?: Partial<Config['limits']>;
    rateLimit?: Partial<Config['rateLimit']>;
  };
  logger: Logger;
  /** Enables the server-side response cache (with config.responseCacheBytes > 0): it is what invalidates it. */
  changeFeed?: ChangeFeed;
}

export interface App {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** GraphQL subscriptions over WebSocket, when a change feed was given. */
  subscriptions?: SubscriptionServer;
  /** Stops what the app runs besides HTTP (health probes, the rate limits' Redis connection). */
  close(): Promise<void>;
}

export async function createApp({ prisma, databaseUrl, config: given = {}, logger, changeFeed }: AppOptions): Promise<App> {
  const config: AppConfig = {
    ...DEFAULT_CONFIG,
    ...given,
    limits: { ...DEFAULT_CONFIG.limits, ...given.limits },
    rateLimit: { ...DEFAULT_CONFIG.rateLimit, ...given.rateLimit },
    subscriptions: { ...DEFAULT_CONFIG.subscriptions, ...given.subscriptions },
  };
  const { limits } = config;
  const app = express();
  const httpServer = http.createServer(app);
  // A client that sends its headers or body slowly holds a socket; Node's default allows 300 s.
  httpServer.headersTimeout = 10_000;
  httpServer.requestTimeout = 30_000;
  const health = databaseUrl ? new DatabaseHealth(databaseUrl, logger) : undefined;
  // Requests in flight, so that those waiting on a database found down get their 503 at once.
  const inFlight = new Set<RequestScopeHandle>();
  health?.onDown(() => {
    for (const request of inFlight) request.abort('unavailable');
  });
  const rateLimits: RateLimits = createRateLimits(config.rateLimit, logger);
  const trusted = config.trustedDocuments ? TrustedDocuments.fromFile(config.trustedDocuments) : undefined;
  const schema = await buildAppSchema();
  const subscriptions =
    changeFeed && config.subscriptions.enabled
      ? startSubscriptions({ app, httpServer, schema, prisma, changeFeed, config, trusted, rateLimits, logger })
      : undefined;

  const observed = observability({ config, logger, prisma, databaseUrl, health, changeFeed, subscriptions });

  const plugins: ApolloServerPlugin<Context>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    // Replaced by a whole-response policy (see cache-policy.plugin.ts).
    ApolloServerPluginCacheControlDisabled(),
    cachePolicyPlugin(config.cacheMaxAge, config.readsRequireKey),
    operationLimitsPlugin(limits),
    ...(config.readsRequireKey ? [requireKeyPlugin()] : []),
    // After the plugins that may refuse an operation: Apollo consults the cache only once every
    // plugin's didResolveOperation has passed, so a cached response never skips a check.
    ...(changeFeed && config.responseCacheBytes > 0 ? responseCachePlugins<Context>(changeFeed, config.responseCacheBytes) : []),
    // After the response cache: a cached answer is served before anything is planned.
    ...(config.planner ? [plannerPlugin({ rawResponses: !(changeFeed && config.responseCacheBytes > 0) })] : []),
    errorPolicyPlugin(health, logger),
    legacyJsonStatusPlugin(),
    // The explorer is for everyone who reads the API, in production as in development.
    config.explorer ? sandboxLandingPage<Context>({ document: readExamples() }) : ApolloServerPluginLandingPageDisabled(),
    ...(subscriptions ? [subscriptions.plugin] : []),
    subscriptionsOverHttpPlugin(),
    // Last: it logs what the plugins before it made of the response (status, cost, errors).
    observed.plugin,
  ];
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: !config.suggestions,
    parseOptions: { maxTokens: limits.maxTokens },
    // index.ts owns SIGINT/SIGTERM: it stops Apollo, then the database, then exits. Apollo's own
    // handlers would re-raise the signal and race that sequence.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: true,
    plugins,
    includeStacktraceInErrorResponses: config.exposeErrorDetails,
    formatError: (formatted) => maskError(formatted, config.exposeErrorDetails),
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  observed.mountFirst(app);
  app.use(securityHeaders());
  // Before everything else on these paths: a preflight is answered here, and refusals further on
  // (429, 413, 400) carry the CORS headers a browser needs to read them.
  app.use(['/graphql', '/health'], corsMiddleware(config.corsOrigins));
  app.get('/health', async (_req, res) => {
    if (!health || (await health.check({ fresh: true }))) {
      res.json({ status: 'ok', database: 'ok' });
      return;
    }
    res
      .status(503)
      .setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
      .json({ status: 'unavailable', database: 'unreachable' });
  });
  observed.mountRoutes(app);
  app.use(
    '/graphql',
    rateLimits.middleware,
    allowCredentiallessGet,
    // Parsing JSON is the one thing done before any check can look at it: 2 MB of small values
    // took 100–180 ms, so the default (MAX_BODY_BYTES, 1 MB) keeps it near 50 ms.
    express.json({ limit: limits.maxBodyBytes }),
    requestDeadline(limits.requestTimeoutMs, health, inFlight),
    limitBatchSize(limits.maxBatch),
    requestGuard({ limits, trusted }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const budget = (res.locals.costBudget ??= { spent: 0 });
        let context: Context;
        try {
          context = await createContext(prisma, req.headers.authorization, budget, splicerFor(res), res.locals.observed);
        } catch (error) {
          // Looking up an API key is the first thing that reaches the database.
          if (!(error instanceof GraphQLError) && (isConnectionError(error) || (health && !(await health.check())))) {
            throw serviceUnavailable();
          }
          throw error;
        }
        if (context.caller.kind === 'rejected') await rateLimits.recordAuthFailure(req);
        return context;
      },
    }),
  );
  mountPages(app, { explorer: config.explorer });
  app.use((req, res) =>
    sendGraphQLErrors(req, res, 404, [
      { message: `Nothing at ${req.method} ${req.path}; the API is at /graphql.`, extensions: { code: ErrorCode.NOT_FOUND } },
    ]),
  );
  app.use(httpErrorHandler(logger));
  return {
    httpServer,
    apollo,
    subscriptions,
    async close() {
      await subscriptions?.close();
      health?.stop();
      await rateLimits.close();
    },
  };
}

/**
 * One splicer per HTTP request (a batch's operations share it), and the request's res.send made to
 * splice planned data into the body Apollo's Express integration sends (planner/raw-json.ts).
 */
function splicerFor(res: Response): Splicer {
  const existing = res.locals.splicer as Splicer | undefined;
  if (existing) return existing;
  const splicer = createSplicer();
  res.locals.splicer = splicer;
  const send = res.send.bind(res);
  res.send = (body?: unknown) => send(typeof body === 'string' ? splicer.apply(body) : body);
  return splicer;
}

/**
 * Gives each request a deadline (REQUEST_TIMEOUT_MS), after which the database client cancels
 * its statements, and gives it up at once if its client hangs up. Mounted after body parsing, so
 * that everything from here on runs inside the request's scope.
 */
function requestDeadline(timeoutMs: number, health: DatabaseHealth | undefined, inFlight: Set<RequestScopeHandle>): RequestHandler {
  return (_req, res, next) => {
    const handle = createRequestScope(timeoutMs);
    inFlight.add(handle);
    // A request still running shortly before its deadline may be waiting on a database that
    // stopped answering: ask now, so that the answer is in when the deadline passes and the
    // request can be told 503 then rather than a probe later.
    const early = health
      ? setTimeout(() => void health.check({ fresh: true }), timeoutMs - Math.min(PROBE_AHEAD_MS, timeoutMs / 2))
      : undefined;
    early?.unref();
    res.on('close', () => {
      if (!res.writableFinished) handle.abort('disconnect');
      handle.dispose();
      inFlight.delete(handle);
      if (early) clearTimeout(early);
    });
    runInRequestScope(handle.scope, next);
  };
}

/** How long before a request's deadline (at most half of it) the database is asked whether it answers. */
const PROBE_AHEAD_MS = 2_500;

/**
 * helmet's headers for a JSON API: nothing may be loaded, framed or run from its responses. The
 * explorer page (GET /graphql from a browser) loads Apollo Sandbox from Apollo's CDN, and says
 * so in its own Content-Security-Policy, narrowed by nonces; the header only has to let that
 * policy apply.
 */
function securityHeaders(): RequestHandler {
  const api = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
  });
  const explorerPolicy = [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' https://embeddable-sandbox.cdn.apollographql.com https://embeddable-explorer.cdn.apollographql.com https://apollo-server-landing-page.cdn.apollographql.com",
    "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com https://embeddable-sandbox.cdn.apollographql.com https://embeddable-explorer.cdn.apollographql.com https://apollo-server-landing-page.cdn.apollographql.com",
    'font-src https://fonts.gstatic.com',
    "img-src 'self' data: https://apollo-server-landing-page.cdn.apollographql.com",
    'manifest-src https://apollo-server-landing-page.cdn.apollographql.com',
    'frame-src https://sandbox.embed.apollographql.com https://explorer.embed.apollographql.com',
    "connect-src 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (req, res, next) =>
    api(req, res, () => {
      if (req.method === 'GET' && req.path === '/graphql' && req.accepts(['json', 'html']) === 'html') {
        res.setHeader('content-security-policy', explorerPolicy);
      }
      next();
    });
}

/** READS_REQUIRE_KEY: every operation, reads included, needs a valid key of any role. */
function requireKeyPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          if (contextValue.caller.kind !== 'key') throw unauthenticated(contextValue.caller);
        },
      };
    },
  };
}

/**
 * Errors with a public code pass through; anything else is an unexpected failure (logged by the
 * error policy) and, unless error details are switched on, reduced to its code so that no SQL,
 * stack or internal detail reaches a client.
 */
function maskError(formatted: GraphQLFormattedError, exposeDetails: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (exposeDetails || (typeof code === 'string' && PUBLIC_CODES.has(code))) return formatted;
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/**
 * GraphQL subscriptions over WebSocket on the same port and path (modules/subscriptions), fed by
 * the change feed: every committed write, from any process, reaches this instance's subscribers.
 */
function startSubscriptions(options: {
  app: express.Express;
  httpServer: http.Server;
  schema: GraphQLSchema;
  prisma: PrismaClient;
  changeFeed: ChangeFeed;
  config: AppConfig;
  trusted: TrustedDocuments | undefined;
  rateLimits: RateLimits;
  logger: Logger;
}): SubscriptionServer {
  const { app, config } = options;
  return attachSubscriptionServer({
    httpServer: options.httpServer,
    schema: options.schema,
    prisma: options.prisma,
    hub: new ChangeHub(options.changeFeed, options.prisma, options.logger),
    limits: config.limits,
    settings: config.subscriptions,
    readsRequireKey: config.readsRequireKey,
    introspection: config.introspection,
    exposeErrorDetails: config.exposeErrorDetails,
    trusted: options.trusted,
    originAllowed: (origin) => originAllowed(config.corsOrigins, origin),
    // As Express computes req.ip, TRUST_PROXY included.
    clientAddress: (request) => proxyaddr(request, app.get('trust proxy fn')),
    rateLimits: options.rateLimits,
    logger: options.logger,
  });
}

/**
 * Request ids, one log line per operation, /metrics, /health/live and /health/ready
 * (src/observability): what an operator watches, kept apart from what the API does.
 */
function observability(options: {
  config: AppConfig;
  logger: Logger;
  prisma: PrismaClient;
  databaseUrl: string | undefined;
  health: DatabaseHealth | undefined;
  changeFeed: ChangeFeed | undefined;
  subscriptions: SubscriptionServer | undefined;
}): { plugin: ApolloServerPlugin<Context>; mountFirst(app: express.Express): void; mountRoutes(app: express.Express): void } {
  const { config, logger, prisma, health, changeFeed, subscriptions } = options;
  const metrics = config.metrics
    ? new Metrics({
        pool: () => poolStats(prisma),
        databaseUp: health && (() => health.available),
        changeFeedUp: changeFeed && (() => changeFeed.live),
        subscriptions: subscriptions && (() => ({ connections: subscriptions.connections, subscriptions: subscriptions.listeners })),
      })
    : undefined;
  const responseCache = Boolean(changeFeed && config.responseCacheBytes > 0);
  return {
    plugin: operationLogPlugin({ logger, metrics, responseCache }),
    mountFirst(app) {
      app.use(requestIdMiddleware());
      app.use('/graphql', refusalLogMiddleware(logger, metrics));
    },
    mountRoutes(app) {
      mountProbes(app, { health, databaseUrl: options.databaseUrl, changeFeed, metrics, logger });
    },
  };
}
