/**
 * Start-up only: configuration, database, server, signals.
 */
import 'reflect-metadata';
// First: it starts tracing, when asked for, before anything loads `http` or `pg`.
import { bootstrapped } from './observability/tracing-bootstrap';
import { loadConfig, type Config } from './config';
import { ChangeFeed } from './db/change-feed';
import { openDatabase } from './db/database';
import { createLogger, type LogFormat } from './common/logger';
import { createApp } from './server';
import { seedIfEmpty } from './seed';

async function main(): Promise<void> {
  const { envFile, tracing } = bootstrapped();
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { format: logFormat(config) });
  if (envFile.file) {
    const overridden = envFile.overridden.length ? `; the environment overrides ${envFile.overridden.join(', ')}` : '';
    logger.info(`settings read from ${envFile.file}: ${envFile.applied.join(', ') || 'none'}${overridden}`);
  }
  const db = await openDatabase(config, { log: (message) => logger.info(message), handlesSignals: true, serverTimeouts: true });
  if (config.seedOnEmpty) {
    await seedIfEmpty(db.prisma, (message) => logger.info(message)).catch(async (error) => {
      await db.close();
      throw error;
    });
  }
  // The response cache and subscriptions learn of every committed write from it.
  const changeFeed = config.responseCacheBytes > 0 || config.subscriptions.enabled ? new ChangeFeed(db.url, logger) : undefined;
  await changeFeed?.start();
  const app = await createApp({ prisma: db.prisma, databaseUrl: db.url, config, logger, changeFeed });
  const { httpServer, apollo } = app;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: stopping`);
    // Apollo's drain plugin closes the HTTP server and waits for requests in flight.
    await apollo.stop().catch((error) => logger.error('stopping the server', error));
    await changeFeed?.stop();
    await app.close();
    logger.debug('server stopped; closing the database');
    await db.close().catch((error) => logger.error('closing the database', error));
    await tracing?.shutdown().catch((error) => logger.error('flushing traces', error));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The terminal closing: the embedded PostgreSQL no longer hears it (embedded-postgres.ts), so stop it here.
  process.on('SIGHUP', () => void stop('SIGHUP'));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`GraphQL API ready at http://localhost:${port}/graphql${db.embedded ? ' (embedded PostgreSQL)' : ''}`);
  logger.info(
    `start page http://localhost:${port}/ · dashboard http://localhost:${port}/dashboard` +
      (config.explorer ? ` · explorer http://localhost:${port}/explorer` : '') +
      (config.subscriptions.enabled ? ` · subscriptions ws://localhost:${port}/graphql` : ''),
  );
}

/**
 * LOG_FORMAT, or when unset: pretty for a person (development, or a terminal) where pino-pretty
 * is installed (it is a dev dependency), JSON for everything else: containers, pipes, log shippers.
 */
function logFormat(config: Config): LogFormat {
  if (config.logFormat) return config.logFormat;
  if (config.nodeEnv !== 'development' && !process.stdout.isTTY) return 'json';
  try {
    require.resolve('pino-pretty');
    return 'pretty';
  } catch {
    return 'json';
  }
}

main().catch((error: Error) => {
  process.stderr.write(`Failed to start: ${error.message}\n`);
  process.exit(1);
});
