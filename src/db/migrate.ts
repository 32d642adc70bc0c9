/**
 * Applies pending migrations from prisma/migrations at start-up, compatible with
 * `prisma migrate deploy`: the same `_prisma_migrations` table, checksums and advisory lock,
 * so either tool can take over from the other. Spawning the Prisma CLI instead costs ~1.7 s and
 * needs the native engine; this takes a few tens of milliseconds.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../paths';

const PRISMA_MIGRATE_LOCK = 72707369;

interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationResult {
  applied: string[];
}

export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrationFiles(dir);
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<AppliedMigration>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    const failed = rows.find((row) => row.finished_at === null);
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} failed earlier and was not rolled back; resolve it ` +
          '(`prisma migrate resolve`) before starting.',
      );
    }
    const result: string[] = [];
    for (const file of files) {
      const done = applied.get(file.name);
      if (done) {
        if (done.checksum !== file.checksum) {
          throw new Error(`Migration ${file.name} was edited after it was applied (checksum differs).`);
        }
        continue;
      }
      // Each migration in its own transaction, sent whole through the simple-query protocol so
      // that statements with bodies (functions, DO blocks) are not split on semicolons.
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), file.checksum, file.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
      }
      result.push(file.name);
    }
    return { applied: result };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    await client.end();
  }
}

async function readMigrationFiles(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

export interface MigrationState {
  /** Migrations of this build's folder not yet recorded as applied. */
  pending: string[];
  /** Migrations recorded as started but neither finished nor rolled back. */
  failed: string[];
}

/**
 * Which of this build's migrations the database has not applied, as `prisma migrate status` would
 * see it: read from `_prisma_migrations`, without taking the lock or changing anything. Used by
 * the readiness probe (/health/ready).
 */
export async function migrationState(databaseUrl: string, options: { dir?: string; timeoutMs?: number } = {}): Promise<MigrationState> {
  const files = await readMigrationFiles(options.dir ?? MIGRATIONS_DIR);
  const client = new Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client
      .query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"',
      )
      .catch((error: { code?: string }) => {
        // No bookkeeping table yet: nothing was ever applied.
        if (error.code === '42P01') return { rows: [] };
        throw error;
      });
    const done = new Set(rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => row.migration_name));
    return {
      pending: files.map((file) => file.name).filter((name) => !done.has(name)),
      failed: rows.filter((row) => row.finished_at === null && row.rolled_back_at === null).map((row) => row.migration_name),
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
