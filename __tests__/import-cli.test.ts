/** `npm run import -- FILE [--dry-run]`, run as the built CLI against a database of its own. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { fixtureRecord, toJsonl } from './fixtures/records';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'uscn-import-'));
});
afterAll(() => db.drop());

function runImport(...args: string[]) {
  return spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/scripts/import.js'), ...args], {
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
}

test('a bad file exits non-zero, names line and field, and writes nothing', async () => {
  const file = path.join(dir, 'bad.jsonl');
  await writeFile(file, toJsonl([fixtureRecord(), { ...fixtureRecord({ id: '2030-05-01-fixture-bad' }), track: '3' }]));
  const before = await db.prisma.meeting.count();
  const result = runImport(file);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`${file}:2: track:`);
  expect(result.stderr).toMatch(/nothing was written/);
  expect(await db.prisma.meeting.count()).toBe(before);
});

test('--dry-run reports and writes nothing; a real run creates; a rerun finds it unchanged', async () => {
  const file = path.join(dir, 'good.jsonl');
  await writeFile(file, toJsonl([fixtureRecord()]));
  const before = await db.prisma.meeting.count();

  const dry = runImport(file, '--dry-run');
  expect(dry.status).toBe(0);
  expect(dry.stdout).toMatch(/Would import .*: 1 created, 0 updated, 0 unchanged/);
  expect(await db.prisma.meeting.count()).toBe(before);

  expect(runImport(file).stdout).toMatch(/Imported .*: 1 created/);
  expect(await db.prisma.meeting.count()).toBe(before + 1);
  expect(runImport(file).stdout).toMatch(/0 created, 0 updated, 1 unchanged/);
});

test('a missing file or missing argument is a clear error', () => {
  const missing = runImport(path.join(dir, 'nope.jsonl'));
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/no such file/);
  const usage = runImport();
  expect(usage.status).toBe(1);
  expect(usage.stderr).toMatch(/Usage: npm run import -- FILE/);
});
