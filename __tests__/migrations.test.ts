import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../src/db/migrate';
import { spawnSync } from 'node:child_process';
import { MIGRATIONS_DIR, PROJECT_ROOT, SCHEMA_FILE } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase({ empty: true });
});
afterEach(() => db.drop());

// The schema engine is an ES module with WebAssembly, which jest's module system cannot load:
// the check runs as the built CLI (`npm test` builds first), on a scratch database of its own.
const checkMigrations = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/scripts/migrations.js'), 'check', ...args], {
    env: { ...process.env, DATABASE_URL: process.env.TEST_SERVER_URL },
    encoding: 'utf8',
  });

test('schema.prisma and the committed migrations agree (Prisma schema engine, run offline)', () => {
  const result = checkMigrations();
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/agree/);
  expect(result.status).toBe(0);
});

test('the drift check fails, showing the missing SQL, when schema.prisma changes without a migration', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'uscn-schema-'));
  const drifted = path.join(dir, 'schema.prisma');
  const schema = await readFile(SCHEMA_FILE, 'utf8');
  await writeFile(drifted, schema.replace('  summary          String?', '  summary          String?\n  drifted          Int?'));
  const result = checkMigrations('--schema', drifted);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/ADD COLUMN\s+"drifted"/);
});

test('migrations apply once, record themselves as prisma migrate does, and are not re-applied', async () => {
  const first = await applyMigrations(db.url);
  expect(first.applied.length).toBeGreaterThan(0);
  const rows: { migration_name: string; checksum: string; finished_at: Date | null }[] = await db.prisma.$queryRawUnsafe(
    'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
  );
  expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
  expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at !== null)).toBe(true);
  expect((await applyMigrations(db.url)).applied).toEqual([]);
  expect(await db.prisma.channel.count()).toBe(20);
});

test('a migration edited after it was applied stops start-up', async () => {
  await applyMigrations(db.url);
  const copy = await mkdtemp(path.join(tmpdir(), 'uscn-migrations-'));
  await cp(MIGRATIONS_DIR, copy, { recursive: true });
  const [firstDir] = (await readdir(copy)).filter((name) => /^\d/.test(name)).sort();
  const file = path.join(copy, firstDir, 'migration.sql');
  await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited\n`);
  await expect(applyMigrations(db.url, copy)).rejects.toThrow(/edited after it was applied/);
});

test('a failing migration is rolled back and reported by name', async () => {
  await applyMigrations(db.url);
  const copy = await mkdtemp(path.join(tmpdir(), 'uscn-migrations-'));
  await cp(MIGRATIONS_DIR, copy, { recursive: true });
  const broken = path.join(copy, '99999999999999_broken');
  await mkdir(broken);
  await writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n');
  await expect(applyMigrations(db.url, copy)).rejects.toThrow(/99999999999999_broken failed/);
  const tables: unknown[] = await db.prisma.$queryRawUnsafe("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
  expect(tables).toEqual([]);
});
