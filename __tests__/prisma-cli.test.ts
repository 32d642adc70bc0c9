/**
 * The Prisma CLI and the service's own migration runner (src/db/migrate.ts) keep one history.
 *
 * The CLI's native engine cannot be downloaded here, so "what `prisma migrate status|deploy`
 * would say" is asked of the same engine run as WebAssembly, with the calls the CLI makes
 * (`npm run migrate:status|deploy`, scripts/migrations.ts). Checked both ways: the runner first,
 * then Prisma finds nothing to do; Prisma first, then the runner finds nothing to do, and both
 * wrote the same bookkeeping. And prisma.config.ts hands the CLI DATABASE_URL as its datasource.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { applyMigrations } from '../src/db/migrate';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';

// The engine is an ES module with WebAssembly, which jest's module system cannot load: it runs as
// the built CLI (`npm test` builds first).
const migrations = (command: 'status' | 'deploy', databaseUrl: string) =>
  spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/scripts/migrations.js'), command], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}
const bookkeeping = (db: TestDatabase) =>
  db.prisma.$queryRaw<
    Row[]
  >`SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`;

const databases: TestDatabase[] = [];
afterAll(() => Promise.all(databases.map((db) => db.drop())));
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ empty: true });
  databases.push(db);
  return db;
}

test("after the runner, Prisma's engine finds every migration applied and nothing to deploy", async () => {
  const db = await emptyDatabase();
  const { applied } = await applyMigrations(db.url);
  expect(applied.length).toBeGreaterThan(5);

  const status = migrations('status', db.url);
  expect(status.stderr).toBe('');
  expect(status.stdout).toMatch(new RegExp(`^${applied.length} migrations found; database schema is up to date`));
  expect(status.status).toBe(0);

  const deploy = migrations('deploy', db.url);
  expect(deploy.stdout.trim()).toBe('No pending migrations to apply.');
  expect(deploy.status).toBe(0);
});

test("after Prisma's engine deploys, the runner finds nothing to apply, and both wrote the same bookkeeping", async () => {
  const byPrisma = await emptyDatabase();
  const deploy = migrations('deploy', byPrisma.url);
  expect(deploy.status).toBe(0);
  expect(deploy.stdout).toMatch(/^Applied \d+ migrations: /);
  expect((await applyMigrations(byPrisma.url)).applied).toEqual([]);

  const byRunner = await emptyDatabase();
  await applyMigrations(byRunner.url);
  const shape = (rows: Row[]) =>
    rows.map((row) => ({
      name: row.migration_name,
      checksum: row.checksum,
      finished: row.finished_at !== null,
      rolledBack: row.rolled_back_at !== null,
      steps: row.applied_steps_count,
    }));
  expect(shape(await bookkeeping(byRunner))).toEqual(shape(await bookkeeping(byPrisma)));
  // Same schema too: a table either way, with the same columns.
  const columns = (db: TestDatabase) =>
    db.prisma.$queryRaw<{ c: string }[]>`SELECT table_name || '.' || column_name || ':' || data_type AS c FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY 1`;
  expect(await columns(byRunner)).toEqual(await columns(byPrisma));
});

test('status names a migration the database has not applied, and fails, as `prisma migrate status` does', async () => {
  const db = await emptyDatabase();
  const { applied } = await applyMigrations(db.url);
  const last = applied[applied.length - 1];
  await db.prisma.$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${last}`;
  const status = migrations('status', db.url);
  expect(status.status).toBe(1);
  expect(status.stderr).toContain(`Not yet applied: ${last}`);
});

test('prisma.config.ts gives the Prisma CLI its datasource from DATABASE_URL, and loads without it', () => {
  // Loaded the way the CLI loads it (@prisma/config), in a plain Node process.
  const load = (env: NodeJS.ProcessEnv) =>
    spawnSync(
      process.execPath,
      [
        '-e',
        `require('@prisma/config').loadConfigFromFile({ configRoot: ${JSON.stringify(PROJECT_ROOT)} }).then((r) => {
           if (r.error) { console.error(JSON.stringify(r.error)); process.exit(1); }
           console.log(JSON.stringify({ url: r.config.datasource?.url ?? null, schema: r.config.schema, migrations: r.config.migrations?.path }));
         })`,
      ],
      { cwd: PROJECT_ROOT, env, encoding: 'utf8' },
    );
  const url = 'postgresql://someone@db.example:5432/engagements';
  const withUrl = load({ ...process.env, DATABASE_URL: url });
  expect(withUrl.stderr).toBe('');
  expect(JSON.parse(withUrl.stdout)).toEqual({
    url,
    schema: expect.stringMatching(/prisma[/\\]schema\.prisma$/),
    migrations: expect.stringMatching(/prisma[/\\]migrations$/),
  });

  const { DATABASE_URL: _unset, ...rest } = process.env;
  const withoutUrl = load(rest);
  expect(withoutUrl.status).toBe(0);
  expect(JSON.parse(withoutUrl.stdout).url).toBeNull();
});
