/**
 * The HTTP application: GraphQL at /graphql (Apollo Server 5 on Express 5) and /health.
 */
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { DEFAULT_LIMITS, type Config } from './config';
import { createContext, type Context } from './context';
import type { PrismaClient } from './generated/prisma/client';
import { ErrorCode, PUBLIC_CODES } from './common/errors';
import { cachePolicyPlugin } from './common/http/cache-policy.plugin';
import { allowCredentiallessGet, legacyJsonStatusPlugin, limitBatchSize } from './common/http/graphql-over-http';
import type { Logger } from './common/logger';
import { operationLimitsPlugin } from './common/operation-limits.plugin';
import { responseCachePlugins } from './common/http/response-cache.plugin';
import type { ChangeFeed } from './db/change-feed';
import { buildAppSchema } from './schema';
import { unauthenticated } from './modules/auth/auth-checker';

export interface AppOptions {
  prisma: PrismaClient;
  config: Pick<Config, 'isDevelopment'> & Partial<Pick<Config, 'limits' | 'cacheMaxAge' | 'readsRequireKey' | 'responseCacheBytes'>>;
  logger: Logger;
  /** Enables the server-side response cache (with config.responseCacheBytes > 0): it is what invalidates it. */
  changeFeed?: ChangeFeed;
}

export interface App {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
}

export async function createApp({ prisma, config, logger, changeFeed }: AppOptions): Promise<App> {
  const app = express();
  const httpServer = http.createServer(app);
  const limits = config.limits ?? DEFAULT_LIMITS;
  const plugins: ApolloServerPlugin<Context>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    // Replaced by a whole-response policy (see cache-policy.plugin.ts).
    ApolloServerPluginCacheControlDisabled(),
    cachePolicyPlugin(config.cacheMaxAge ?? 60),
    operationLimitsPlugin(limits),
    ...(config.readsRequireKey ? [requireKeyPlugin()] : []),
    // After the plugins that may refuse an operation: Apollo consults the cache only once every
    // plugin's didResolveOperation has passed, so a cached response never skips a check.
    ...(changeFeed && (config.responseCacheBytes ?? 0) > 0 ? responseCachePlugins<Context>(changeFeed, config.responseCacheBytes!) : []),
    legacyJsonStatusPlugin(),
    config.isDevelopment
      ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
      : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
  ];
  const apollo = new ApolloServer<Context>({
    schema: await buildAppSchema(),
    introspection: true,
    // index.ts owns SIGINT/SIGTERM: it stops Apollo, then the database, then exits. Apollo's own
    // handlers would re-raise the signal and race that sequence.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: true,
    plugins,
    includeStacktraceInErrorResponses: config.isDevelopment,
    formatError: (formatted, error) => maskError(formatted, error, config.isDevelopment, logger),
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    try {
      await prisma.$queryRaw`SELECT 1`;
      res.json({ status: 'ok', database: 'ok' });
    } catch (error) {
      logger.warn(`health check: database unreachable: ${(error as Error).message}`);
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  app.use(
    '/graphql',
    allowCredentiallessGet,
    express.json({ limit: '2mb' }),
    limitBatchSize(limits.maxBatch),
    expressMiddleware(apollo, { context: ({ req }) => createContext(prisma, req.headers.authorization) }),
  );
  return { httpServer, apollo };
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
 * Errors with a public code pass through; anything else is an unexpected failure, logged in
 * full here and, outside development, reduced to its code so that no SQL, stack or internal
 * detail reaches a client.
 */
function maskError(formatted: GraphQLFormattedError, error: unknown, isDevelopment: boolean, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) return formatted;
  logger.error(`unexpected error at ${formatted.path?.join('.') ?? '(request)'}`, (error as { originalError?: unknown }).originalError ?? error);
  if (isDevelopment) return formatted;
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
