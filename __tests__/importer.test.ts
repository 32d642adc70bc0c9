import { readFile } from 'node:fs/promises';
import { importEngagements, parseEngagements } from '../src/modules/engagements/engagement-import.service';
import { applyMigrations } from '../src/db/migrate';
import { SEED_FILE } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { fixtureRecord, toJsonl } from './fixtures/records';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase({ empty: true });
  await applyMigrations(db.url);
});
afterEach(() => db.drop());

async function tableCounts() {
  const p = db.prisma;
  return {
    meetings: await p.meeting.count(),
    outcomes: await p.outcome.count(),
    participations: await p.participation.count(),
    people: await p.person.count(),
    organizations: await p.organization.count(),
    hosts: await p.host.count(),
    sources: await p.source.count(),
    relations: await p.meetingRelationLink.count(),
    links: await p.meetingChannel.count(),
    trips: await p.trip.count(),
  };
}

describe('importing the bundled data set', () => {
  test('loads every record with all its parts', async () => {
    const jsonl = await readFile(SEED_FILE, 'utf8');
    const lines = jsonl.trim().split('\n').map((line) => JSON.parse(line));
    const report = await importEngagements(db.prisma, jsonl);
    expect(report).toMatchObject({ created: lines.length, updated: 0, unchanged: 0, errors: [] });
    const counts = await tableCounts();
    expect(counts.meetings).toBe(lines.length);
    expect(counts.outcomes).toBe(lines.reduce((n, r) => n + r.outcomes.length, 0));
    expect(counts.participations).toBe(lines.reduce((n, r) => n + r.participants.length, 0));
    expect(counts.sources).toBe(lines.reduce((n, r) => n + r.sources.length, 0));
    expect(counts.relations).toBe(lines.reduce((n, r) => n + r.related.length, 0));
    expect(counts.trips).toBe(new Set(lines.map((r) => r.parent).filter(Boolean)).size);
  });

  test('is idempotent: a second import changes nothing', async () => {
    const jsonl = await readFile(SEED_FILE, 'utf8');
    await importEngagements(db.prisma, jsonl);
    const before = await tableCounts();
    const stamps = await db.prisma.meeting.findMany({ select: { slug: true, updatedAt: true }, orderBy: { slug: 'asc' } });
    const report = await importEngagements(db.prisma, jsonl);
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: before.meetings, errors: [] });
    expect(await tableCounts()).toEqual(before);
    expect(await db.prisma.meeting.findMany({ select: { slug: true, updatedAt: true }, orderBy: { slug: 'asc' } })).toEqual(stamps);
  });
});

describe('importing changes', () => {
  test('updates a changed record in place, replacing its parts', async () => {
    await importEngagements(db.prisma, toJsonl([fixtureRecord()]));
    const { id } = await db.prisma.meeting.findUniqueOrThrow({ where: { slug: '2030-01-15-fixture-talks' } });
    const changed = fixtureRecord({
      title: 'Fixture talks, renamed',
      outcomes: [{ channel: 'military', description: 'Fixture: only one outcome now.', status: 'implemented', note: null }],
    });
    const report = await importEngagements(db.prisma, toJsonl([changed]));
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const meeting = await db.prisma.meeting.findUniqueOrThrow({
      where: { slug: '2030-01-15-fixture-talks' },
      include: { outcomes: true },
    });
    expect(meeting.id).toBe(id);
    expect(meeting.title).toBe('Fixture talks, renamed');
    expect(meeting.outcomes.map((o) => [o.status, o.description])).toEqual([['IMPLEMENTED', 'Fixture: only one outcome now.']]);
  });

  test('a dry run reports what would change and writes nothing', async () => {
    const report = await importEngagements(db.prisma, toJsonl([fixtureRecord()]), { dryRun: true });
    expect(report).toMatchObject({ created: 1, updated: 0, unchanged: 0, errors: [], dryRun: true });
    expect(await db.prisma.meeting.count()).toBe(0);
  });

  test('month-precision dates keep their precision and cover the whole month', async () => {
    await importEngagements(
      db.prisma,
      toJsonl([fixtureRecord({ id: '2030-02-fixture-month', startDate: '2030-02', endDate: '2030-02', datePrecision: 'month' })]),
    );
    const meeting = await db.prisma.meeting.findUniqueOrThrow({ where: { slug: '2030-02-fixture-month' } });
    expect(meeting.datePrecision).toBe('MONTH');
    expect(meeting.startDate.toISOString().slice(0, 10)).toBe('2030-02-01');
    expect(meeting.periodEnd.toISOString().slice(0, 10)).toBe('2030-02-28');
  });
});

describe('refusing bad files', () => {
  const good = fixtureRecord();
  const cases: [string, string, { line: number; field: string | null; message: RegExp }][] = [
    ['invalid JSON', `${JSON.stringify(good)}\n{"id": oops}\n`, { line: 2, field: null, message: /not valid JSON/ }],
    ['a missing field', toJsonl([good, { ...good, id: '2030-01-16-b', title: undefined }]), { line: 2, field: 'title', message: /expected string/ }],
    ['an unknown kind', toJsonl([{ ...good, kind: 'picnic' }]), { line: 1, field: 'kind', message: /expected one of/ }],
    ['a misspelt field', toJsonl([{ ...good, outcome: [] }]), { line: 1, field: null, message: /outcome/ }],
    ['a date that does not match its precision', toJsonl([{ ...good, startDate: '2030-01' }]), { line: 1, field: 'startDate', message: /YYYY-MM-DD/ }],
    ['an impossible date', toJsonl([{ ...good, startDate: '2030-02-30', endDate: null }]), { line: 1, field: 'startDate', message: /YYYY-MM-DD/ }],
    ['an end before the start', toJsonl([{ ...good, endDate: '2030-01-01' }]), { line: 1, field: 'endDate', message: /before startDate/ }],
    [
      "an outcome on a channel the meeting does not list",
      toJsonl([{ ...good, outcomes: [{ channel: 'climate', description: 'x', status: 'agreed' }] }]),
      { line: 1, field: 'outcomes[0].channel', message: /not among/ },
    ],
    ['an unknown channel', toJsonl([{ ...good, channels: ['military', 'astrology'], outcomes: [] }]), { line: 1, field: 'channels[1]', message: /unknown channel "astrology"/ }],
    ['a relation to a missing record', toJsonl([{ ...good, related: [{ id: '1999-01-01-nowhere', relation: 'follow_up_of' }] }]), { line: 1, field: 'related[0].id', message: /no engagement/ }],
    ['a duplicate id', toJsonl([good, good]), { line: 2, field: 'id', message: /already used on line 2/ }],
    ['a record without sources', toJsonl([{ ...good, sources: [] }]), { line: 1, field: 'sources', message: /at least one source/ }],
    ['a participant with neither name nor delegation', toJsonl([{ ...good, participants: [{ name: null, side: 'US' }] }]), { line: 1, field: 'participants[0].name', message: /delegation/ }],
  ];

  test.each(cases)('refuses %s, naming line and field, and writes nothing', async (_name, jsonl, expected) => {
    // A valid record first (shifting every line by one): all-or-nothing means it must not be written either.
    const file = `${JSON.stringify(fixtureRecord({ id: '2030-03-01-fixture-valid' }))}\n${jsonl}`;
    const shifted = { ...expected, line: expected.line + 1 };
    const report = await importEngagements(db.prisma, file);
    expect(report.errors).toContainEqual({ line: shifted.line, field: shifted.field, message: expect.stringMatching(shifted.message) });
    expect(await db.prisma.meeting.count()).toBe(0);
  });

  test('a failure while writing rolls the whole file back', async () => {
    await importEngagements(db.prisma, toJsonl([fixtureRecord()]));
    const before = await tableCounts();
    // A trigger stands in for a failure midway (disk full, a constraint added later…).
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION fail_source() RETURNS trigger AS $$ BEGIN
      IF NEW.publisher = 'Fail Here' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.prisma.$executeRawUnsafe('CREATE TRIGGER fail_source BEFORE INSERT ON source FOR EACH ROW EXECUTE FUNCTION fail_source()');
    const file = toJsonl([
      fixtureRecord({ title: 'Changed title that must not stick' }),
      fixtureRecord({ id: '2030-04-01-fixture-fails', sources: [{ publisher: 'Fail Here', title: null, url: null, publishedDate: null, note: null }] }),
    ]);
    await expect(importEngagements(db.prisma, file)).rejects.toThrow(/simulated failure/);
    expect(await tableCounts()).toEqual(before);
    expect((await db.prisma.meeting.findFirstOrThrow()).title).toBe(fixtureRecord().title);
  });
});

test('parseEngagements skips blank lines and keeps line numbers', () => {
  const { records, errors } = parseEngagements(`\n${JSON.stringify(fixtureRecord())}\n\n`);
  expect(errors).toEqual([]);
  expect(records.map((r) => r.line)).toEqual([2]);
});
