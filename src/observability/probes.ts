/**
 * Probes for an orchestrator, and /metrics for Prometheus.
 *
 * - `GET /health/live`: the process serves HTTP (always 200 while it does). A failing liveness
 *   probe gets a container restarted, so it checks nothing a restart would not fix: a database
 *   outage must not restart every instance.
 * - `GET /health/ready`: this instance should get traffic. 200 when the database answers (a fresh
 *   connection, SELECT 1), every migration of this build is applied, and the change feed is
 *   connected (without it the response cache is bypassed and subscriptions miss changes);
 *   otherwise 503 with `Retry-After` and the check that failed.
 * - `GET /health` stays as it was (server.ts): database reachable or not.
 * - `GET /metrics`: metrics.ts, when METRICS is on.
 */
import type { Express } from 'express';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../common/errors';
import type { Logger } from '../common/logger';
import type { ChangeFeed } from '../db/change-feed';
import type { DatabaseHealth } from '../db/database-health';
import { migrationState } from '../db/migrate';
import type { Metrics } from './metrics';

export interface ProbeOptions {
  health: DatabaseHealth | undefined;
  databaseUrl: string | undefined;
  changeFeed: ChangeFeed | undefined;
  metrics: Metrics | undefined;
  logger: Logger;
}

type Check = 'ok' | 'failing' | 'not checked';

export function mountProbes(app: Express, { health, databaseUrl, changeFeed, metrics, logger }: ProbeOptions): void {
  // Once every migration of this build is applied it stays so (a newer build only adds its own):
  // after that, the check costs nothing.
  let migrationsApplied = false;
  const checkMigrations = async (): Promise<Check> => {
    if (!databaseUrl) return 'not checked';
    if (migrationsApplied) return 'ok';
    try {
      const state = await migrationState(databaseUrl, { timeoutMs: 2_000 });
      migrationsApplied = state.pending.length === 0 && state.failed.length === 0;
    } catch (error) {
      logger.debug(`readiness: cannot read the migrations table (${(error as Error).message})`);
      return 'failing';
    }
    return migrationsApplied ? 'ok' : 'failing';
  };

  app.get('/health/live', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ status: 'ok' });
  });

  app.get('/health/ready', async (_req, res) => {
    const database: Check = health ? ((await health.check({ fresh: true })) ? 'ok' : 'failing') : 'not checked';
    const checks = {
      database,
      // Reading the bookkeeping needs the database; when it is down, that is the failure to report.
      migrations: database === 'failing' ? ('not checked' as Check) : await checkMigrations(),
      changeFeed: (changeFeed ? (changeFeed.live ? 'ok' : 'failing') : 'not checked') as Check,
    };
    const ready = Object.values(checks).every((check) => check !== 'failing');
    res.setHeader('cache-control', 'no-store');
    if (!ready) res.status(503).setHeader('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    res.json({ status: ready ? 'ready' : 'unavailable', checks });
  });

  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      const { contentType, body } = await metrics.render();
      res.setHeader('content-type', contentType);
      res.setHeader('cache-control', 'no-store');
      res.send(body);
    });
  }
}
