/**
 * Opens the service's database: the one DATABASE_URL names, or the embedded PostgreSQL kept
 * under DATA_DIR. Pending migrations are applied; loading data is the caller's business (the
 * server seeds an empty database at start-up: src/seed.ts).
 */
import path from 'node:path';
import type { Config } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { applyMigrations } from './migrate';
import { createPrisma } from './prisma';

export interface Database {
  prisma: PrismaClient;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export type Log = (message: string) => void;

export interface OpenOptions {
  log?: Log;
  /** The caller stops the database on SIGINT/SIGTERM (see startEmbeddedPostgres). */
  handlesSignals?: boolean;
  /**
   * The server's statement and connection timeouts (prisma.ts). Scripts leave them out: an
   * import of a large file runs statements longer than any request may.
   */
  serverTimeouts?: boolean;
}

export async function openDatabase(config: Config, options: OpenOptions = {}): Promise<Database> {
  const log = options.log ?? (() => undefined);
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      ownedDir: config.dataDir,
      callerHandlesSignals: options.handlesSignals,
    });
    url = await ensureDatabase(embedded.url, 'engagements');
    log(`embedded PostgreSQL running from ${embedded.dataDir}`);
  }
  try {
    const { applied } = await applyMigrations(url);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    const prisma = createPrisma(url, {
      poolSize: config.poolSize,
      onPoolError: (e) => log(`database pool: ${e.message}`),
      timeouts: options.serverTimeouts
        ? { statementTimeoutMs: config.limits.requestTimeoutMs, connectTimeoutMs: config.connectTimeoutMs }
        : undefined,
    });
    return {
      prisma,
      url,
      embedded: embedded !== undefined,
      async close() {
        await prisma.$disconnect();
        log('database client closed');
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
