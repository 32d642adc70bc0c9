/**
 * Export in the data set's format: it must survive a round trip through the importer, match the
 * bundled seed file, and be what `npm run export` writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../src/db/migrate';
import { exportEngagements } from '../src/modules/engagements/engagement-export.service';
import { importEngagements } from '../src/modules/engagements/engagement-import.service';
import { PROJECT_ROOT, SEED_FILE } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { fixtureRecord, syntheticRecords, toJsonl } from './fixtures/records';

async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ empty: true });
  await applyMigrations(db.url);
  return db;
}

let seeded: TestDatabase;
let seed: string;
let exported: string;
beforeAll(async () => {
  seeded = await emptyDatabase();
  seed = await readFile(SEED_FILE, 'utf8');
  const report = await importEngagements(seeded.prisma, seed);
  expect(report.errors).toEqual([]);
  exported = await exportEngagements(seeded.prisma);
});
afterAll(() => seeded.drop());

const lines = (jsonl: string) => jsonl.trimEnd().split('\n');

describe('round trip', () => {
  let other: TestDatabase;
  beforeAll(async () => {
    other = await emptyDatabase();
  });
  afterAll(() => other.drop());

  test('an export imported into an empty database exports to the same bytes', async () => {
    expect(exported.endsWith('\n')).toBe(true);
    expect(lines(exported)).toHaveLength(lines(seed).length);
    const report = await importEngagements(other.prisma, exported);
    expect(report).toMatchObject({ created: lines(seed).length, updated: 0, unchanged: 0, errors: [] });
    expect(await exportEngagements(other.prisma)).toBe(exported);
  });

  test('an export imported into the database it came from leaves every record unchanged', async () => {
    const report = await importEngagements(seeded.prisma, exported);
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: lines(seed).length, errors: [] });
  });

  test('loading in batches does not change the output', async () => {
    expect(await exportEngagements(seeded.prisma, { batchSize: 4 })).toBe(exported);
  });
});

describe('faithfulness to the seed file', () => {
  type Json = Record<string, unknown>;
  type Link = { id: string; relation: string };
  const PARTICIPANT_KEYS = ['name', 'delegation', 'headcount', 'role', 'organization', 'side', 'note'];

  /*
   * The only differences the export may have from the seed file, each unavoidable:
   * - `related` links come back sorted: meeting_relation has no position column, so the file's
   *   order of a record's links is not stored;
   * - one participant in the file lists `headcount` after `side`; the export writes every
   *   participant's keys in the order all the others use;
   * - records with the same start and end date come back sorted by id: the file orders such a
   *   day's meetings by the hour (Sullivan met Zhang Youxia before Xi), which is not stored.
   */
  function normalise(record: Json): Json {
    return {
      ...record,
      participants: (record.participants as Json[]).map((p) =>
        Object.fromEntries(PARTICIPANT_KEYS.filter((key) => key in p).map((key) => [key, p[key]])),
      ),
      related: [...(record.related as Link[])].sort((a, b) => (a.id + a.relation).localeCompare(b.id + b.relation)),
    };
  }
  const sameDay = (a: Json, b: Json) => a.startDate === b.startDate && a.endDate === b.endDate;
  function sortSameDays(records: Json[]): Json[] {
    const out: Json[] = [];
    for (let i = 0; i < records.length;) {
      let j = i + 1;
      while (j < records.length && sameDay(records[i], records[j])) j += 1;
      out.push(...records.slice(i, j).sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1)));
      i = j;
    }
    return out;
  }

  test('every record equals the seed file’s, keys in the same order, after the documented normalisation', () => {
    const expected = sortSameDays(lines(seed).map((line) => normalise(JSON.parse(line))));
    // Stringified, so that key order counts too.
    expect(lines(exported).map((line) => JSON.stringify(JSON.parse(line)))).toEqual(expected.map((r) => JSON.stringify(r)));
  });

  test('the lines are the seed file’s own text except where the normalisation changed a record', () => {
    const seedLines = new Map(lines(seed).map((line) => [JSON.parse(line).id as string, line]));
    const normalised = [...seedLines]
      .filter(([, line]) => JSON.stringify(normalise(JSON.parse(line))) !== JSON.stringify(JSON.parse(line)))
      .map(([id]) => id);
    const differing = lines(exported)
      .filter((line) => seedLines.get(JSON.parse(line).id) !== line)
      .map((line) => JSON.parse(line).id as string);
    expect(differing.sort()).toEqual(normalised.sort());
    // A guard on the guard: most records must match byte for byte.
    expect(differing.length).toBeLessThan(seedLines.size / 2);
  });
});

describe('keys the seed file never exercises', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await emptyDatabase();
  });
  afterAll(() => db.drop());

  test('an empty database exports to nothing', async () => {
    expect(await exportEngagements(db.prisma)).toBe('');
  });

  test('a summary follows venue; null optional keys are left out, null required ones kept', async () => {
    const record = fixtureRecord({
      summary: 'Fixture summary.',
      region: null,
      sources: [{ publisher: 'Fixture Gazette', title: 'Fixture report', url: null, publishedDate: null }] as ReturnType<
        typeof fixtureRecord
      >['sources'],
    });
    await importEngagements(db.prisma, toJsonl([record]));
    const [line] = lines(await exportEngagements(db.prisma));
    const out = JSON.parse(line);
    expect(Object.keys(out)).toEqual([
      'id',
      'title',
      'startDate',
      'endDate',
      'datePrecision',
      'kind',
      'track',
      'mode',
      'city',
      'region',
      'country',
      'countryCode',
      'venue',
      'summary',
      'hosts',
      'participants',
      'channels',
      'outcomes',
      'sources',
      'parent',
      'related',
      'uncertain',
      'uncertaintyNotes',
    ]);
    expect(out).toMatchObject({ summary: 'Fixture summary.', region: null, venue: null, parent: null, uncertaintyNotes: null });
    expect(out.participants).toEqual([
      { name: 'Fixture Person', role: 'Envoy', organization: 'Fixture Host Office', side: 'US' },
      { name: null, delegation: 'Fixture delegation of officers', headcount: 12, organization: null, side: 'CN' },
    ]);
    expect(out.outcomes.map((o: object) => Object.keys(o))).toEqual([
      ['channel', 'description', 'status'],
      ['channel', 'description', 'status', 'note'],
    ]);
    expect(out.sources).toEqual([{ publisher: 'Fixture Gazette', title: 'Fixture report', url: null, publishedDate: null }]);
  });
});

describe('the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'uscn-export-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  function run(script: 'export' | 'import', url: string, ...args: string[]) {
    return spawnSync(process.execPath, [path.join(PROJECT_ROOT, `dist/scripts/${script}.js`), ...args], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  const runExport = (...args: string[]) => run('export', seeded.url, ...args);

  test('writes FILE, and nothing else beside it', async () => {
    const file = path.join(dir, 'engagements.jsonl');
    const result = runExport(file);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(`Exported ${lines(seed).length} engagements to ${file}.`);
    expect(await readFile(file, 'utf8')).toBe(await exportEngagements(seeded.prisma));
    expect(await readdir(dir)).toEqual(['engagements.jsonl']);
  });

  test('writes to stdout without FILE', async () => {
    const result = runExport();
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(await exportEngagements(seeded.prisma));
  });

  test('a bad target or extra arguments are clear errors', () => {
    const missing = runExport(path.join(dir, 'no-such-dir', 'out.jsonl'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Cannot write .*no such directory/);
    const directory = runExport(dir);
    expect(directory.status).toBe(1);
    expect(directory.stderr).toMatch(/it is a directory/);
    const usage = runExport('a.jsonl', 'b.jsonl');
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/Usage: npm run export -- \[FILE\]/);
    const unknown = runExport('--pretty');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Usage: npm run export/);
  });

  test('a large import off a terminal prints the summary alone, as before the progress bar', async () => {
    const db = await emptyDatabase();
    try {
      const file = path.join(dir, 'large.jsonl');
      await writeFile(file, toJsonl(syntheticRecords(250)));
      const result = run('import', db.url, file);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`Imported ${file}: 250 created, 0 updated, 0 unchanged.\n`);
    } finally {
      await db.drop();
    }
  });
});
