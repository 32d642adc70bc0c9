import { readFile } from 'node:fs/promises';
import { exportEngagements } from '../src/modules/engagements/engagement-export.service';
import { importEngagements } from '../src/modules/engagements/engagement-import.service';
import { parseEngagements } from '../src/modules/engagements/engagement.parser';
import type { EngagementRecord } from '../src/modules/engagements/engagement.record';
import { applyMigrations } from '../src/db/migrate';
import { SEED_FILE } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { fixtureRecord, syntheticRecords, toJsonl } from './fixtures/records';

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
    changes: await p.change.count(),
    fulfilments: await p.outcomeFulfilment.count(),
  };
}

describe('importing the bundled data set', () => {
  test('loads every record with all its parts', async () => {
    const jsonl = await readFile(SEED_FILE, 'utf8');
    const lines = jsonl
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
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
      outcomes: [
        {
          channel: 'military',
          description: 'Fixture: only one outcome now.',
          status: 'implemented',
          note: null,
          assertedBy: [],
          sources: [],
        },
      ],
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
    [
      'a missing field',
      toJsonl([good, { ...good, id: '2030-01-16-b', title: undefined }]),
      { line: 2, field: 'title', message: /expected string/ },
    ],
    ['an unknown kind', toJsonl([{ ...good, kind: 'picnic' }]), { line: 1, field: 'kind', message: /expected one of/ }],
    ['a misspelt field', toJsonl([{ ...good, outcome: [] }]), { line: 1, field: null, message: /outcome/ }],
    [
      'a date that does not match its precision',
      toJsonl([{ ...good, startDate: '2030-01' }]),
      { line: 1, field: 'startDate', message: /YYYY-MM-DD/ },
    ],
    [
      'an impossible date',
      toJsonl([{ ...good, startDate: '2030-02-30', endDate: null }]),
      { line: 1, field: 'startDate', message: /YYYY-MM-DD/ },
    ],
    ['an end before the start', toJsonl([{ ...good, endDate: '2030-01-01' }]), { line: 1, field: 'endDate', message: /before startDate/ }],
    [
      'an outcome on a channel the meeting does not list',
      toJsonl([{ ...good, outcomes: [{ channel: 'climate', description: 'x', status: 'agreed' }] }]),
      { line: 1, field: 'outcomes[0].channel', message: /not among/ },
    ],
    [
      'an unknown channel',
      toJsonl([{ ...good, channels: ['military', 'astrology'], outcomes: [] }]),
      { line: 1, field: 'channels[1]', message: /unknown channel "astrology"/ },
    ],
    [
      'a relation to a missing record',
      toJsonl([{ ...good, related: [{ id: '1999-01-01-nowhere', relation: 'follow_up_of' }] }]),
      { line: 1, field: 'related[0].id', message: /no engagement/ },
    ],
    ['a duplicate id', toJsonl([good, good]), { line: 2, field: 'id', message: /already used on line 2/ }],
    ['a record without sources', toJsonl([{ ...good, sources: [] }]), { line: 1, field: 'sources', message: /at least one source/ }],
    [
      'a participant with neither name nor delegation',
      toJsonl([{ ...good, participants: [{ name: null, side: 'US' }] }]),
      { line: 1, field: 'participants[0].name', message: /delegation/ },
    ],
    [
      'more participants than a meeting may list (the cost model counts on the cap)',
      toJsonl([{ ...good, participants: Array.from({ length: 51 }, (_, i) => ({ name: `Fixture Person ${i}`, side: 'US' })) }]),
      { line: 1, field: 'participants', message: /at most 50/ },
    ],
    [
      'a text longer than 5,000 characters',
      toJsonl([{ ...good, summary: 'x'.repeat(5_001) }]),
      { line: 1, field: 'summary', message: /at most 5000/ },
    ],
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
      fixtureRecord({
        id: '2030-04-01-fixture-fails',
        sources: [{ publisher: 'Fail Here', title: null, url: null, publishedDate: null, note: null }],
      }),
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

/**
 * Synthetic records that exercise every shape the bulk writes must carry: month-precision dates,
 * unnamed delegations, nulls, notes with quotes and non-ASCII text, trips, related links of
 * several kinds, outcome notes citing other records, channels listed out of order.
 */
function variedRecords(count: number) {
  const base = syntheticRecords(count);
  const ids = base.map((r) => r.id);
  return base.map((record, i) => {
    const month = record.startDate.slice(0, 7);
    const monthly = i % 5 === 1;
    return fixtureRecord({
      ...record,
      startDate: monthly ? month : record.startDate,
      endDate: monthly ? (i % 10 === 1 ? month : null) : i % 4 === 3 ? record.startDate : null,
      datePrecision: monthly ? 'month' : 'day',
      city: i % 4 === 0 ? null : `Fixture City ${i % 6}`,
      country: i % 4 === 0 ? null : 'China',
      countryCode: i % 4 === 0 ? null : 'CN',
      venue: i % 7 === 0 ? 'Fixture Hall “West”' : null,
      summary: i % 2 ? `Fixture summary ${i}: "quoted", a back\\slash, and Zhōu Ēnlái.` : null,
      hosts: i % 10 === 0 ? ['Fixture Host A', 'Fixture Hôst Ünicode'] : record.hosts,
      participants: [
        ...record.participants,
        ...(i % 3 === 0
          ? [
              {
                name: null,
                role: null,
                organization: null,
                side: 'other',
                delegation: `Fixture delegation ${i % 4}`,
                headcount: i % 2 ? 6 : null,
                note: i % 6 === 0 ? 'Fixture: numbers “approximate”.' : null,
              },
            ]
          : []),
      ] as ReturnType<typeof fixtureRecord>['participants'],
      channels: i % 5 === 4 ? ['crisis_communication', 'military'] : ['military', 'crisis_communication'],
      outcomes: [
        { channel: 'military', description: `Fixture: agreed on item ${i}.`, status: i % 2 ? 'agreed' : 'implemented', note: null },
        ...(i % 4 === 1
          ? []
          : [
              {
                channel: 'crisis_communication',
                description: 'Fixture: hotline planned.',
                status: 'planned',
                note: i % 8 === 3 && i > 0 ? `Fixture: see ${ids[i - 1]}.` : null,
              },
            ]),
      ] as ReturnType<typeof fixtureRecord>['outcomes'],
      sources: [
        ...record.sources,
        ...(i % 3 === 1 ? [{ publisher: 'Fixture Wire', title: null, url: null, publishedDate: '9999', note: 'Fixture: paywalled.' }] : []),
      ] as ReturnType<typeof fixtureRecord>['sources'],
      parent: i % 4 === 2 ? `fixture-trip-${i % 11}` : null,
      related: [...record.related, ...(i % 6 === 5 ? [{ id: ids[i - 2], relation: 'implements_outcome_of' as const }] : [])],
      uncertain: i % 9 === 0,
      uncertaintyNotes: i % 9 === 0 ? 'Fixture: date unconfirmed.' : null,
    });
  });
}

/** A file's records as the importer reads them, by id, `related` in the order the database keeps. */
function parsedById(jsonl: string): Map<string, EngagementRecord> {
  const { records, errors } = parseEngagements(jsonl);
  expect(errors).toEqual([]);
  return new Map(
    records.map(({ record }) => [
      record.id,
      { ...record, related: [...record.related].sort((a, b) => (a.id + a.relation).localeCompare(b.id + b.relation)) },
    ]),
  );
}

describe('large imports', () => {
  const COUNT = 300;
  const records = variedRecords(COUNT);
  const file = toJsonl(records);

  test('the database holds exactly the file: the export gives every record back, parts, audit rows and search documents included', async () => {
    const report = await importEngagements(db.prisma, file);
    expect(report).toMatchObject({ created: COUNT, updated: 0, unchanged: 0, errors: [] });

    const exported = await exportEngagements(db.prisma);
    expect(parsedById(exported)).toEqual(parsedById(file));

    const sum = (f: (r: (typeof records)[number]) => number) => records.reduce((n, r) => n + f(r), 0);
    const counts = await tableCounts();
    expect(counts).toMatchObject({
      meetings: COUNT,
      links: sum((r) => r.channels.length),
      outcomes: sum((r) => r.outcomes.length),
      participations: sum((r) => r.participants.length),
      hosts: sum((r) => r.hosts.length),
      sources: sum((r) => r.sources.length),
      relations: sum((r) => r.related.length),
      trips: new Set(records.map((r) => r.parent).filter(Boolean)).size,
      people: new Set(records.flatMap((r) => r.participants.map((p) => p.name)).filter(Boolean)).size,
      organizations: new Set(records.flatMap((r) => [...r.hosts, ...r.participants.map((p) => p.organization)]).filter(Boolean)).size,
      changes: COUNT,
    });
    // Serial ids follow the file's order, as with one createMany.
    expect((await db.prisma.meeting.findMany({ select: { slug: true }, orderBy: { id: 'asc' } })).map((m) => m.slug)).toEqual(
      records.map((r) => r.id),
    );

    // Month precision: the first day of the month, covering the whole month.
    const monthly = await db.prisma.meeting.findUniqueOrThrow({ where: { slug: records[1].id } });
    expect(monthly.datePrecision).toBe('MONTH');
    expect(monthly.startDate.toISOString().slice(0, 10)).toBe(`${records[1].startDate}-01`);
    expect(monthly.periodEnd.toISOString().slice(0, 10)).toBe('9999-01-31');

    // The audit trail: one CREATE per record, `after` being the record as imported.
    const changes = await db.prisma.change.findMany({ orderBy: { id: 'asc' } });
    expect(changes.map((c) => [c.action, c.actor, c.recordType, c.recordSlug, c.before])).toEqual(
      records.map((r) => ['CREATE', 'import', 'Meeting', r.id, null]),
    );
    const imported = parseEngagements(file).records.map(({ record }) => record);
    expect(changes.map((c) => c.after)).toEqual(imported);

    // Every stored search document is the one its definition gives, and none is empty.
    const [{ stale, empty }] = await db.prisma.$queryRaw<{ stale: number; empty: number }[]>`SELECT
      count(*) FILTER (WHERE search_vector IS DISTINCT FROM meeting_search_vector(m))::int AS stale,
      count(*) FILTER (WHERE search_vector = ''::tsvector)::int AS empty FROM meeting m`;
    expect({ stale, empty }).toEqual({ stale: 0, empty: 0 });
    // Fulfilments were derived from the implements_outcome_of links.
    expect(await db.prisma.outcomeFulfilment.count({ where: { basis: 'RELATION' } })).toBeGreaterThan(0);

    // Importing the export changes nothing.
    expect(await importEngagements(db.prisma, exported)).toMatchObject({ created: 0, updated: 0, unchanged: COUNT, errors: [] });
  });

  test('a large update rewrites the changed records in place and leaves the others alone', async () => {
    await importEngagements(db.prisma, file);
    const before = new Map((await db.prisma.meeting.findMany({ include: { outcomes: true } })).map((m) => [m.slug, m]));
    const edited = records.map((record, i) => {
      if (i % 3 !== 0) return record;
      return fixtureRecord({
        ...record,
        title: `${record.title}, revised`,
        // Channels swap places; the second outcome goes (or comes).
        channels: [...record.channels].reverse(),
        outcomes:
          record.outcomes.length === 2
            ? record.outcomes.slice(0, 1)
            : [...record.outcomes, { channel: 'crisis_communication', description: 'Fixture: added.', status: 'discussed', note: null }],
        participants: record.participants.slice(1),
        parent: i % 2 ? 'fixture-trip-revised' : null,
        related: [],
        summary: null,
      } as Partial<ReturnType<typeof fixtureRecord>>);
    });
    const editedFile = toJsonl(edited);
    const changed = edited.filter((_, i) => i % 3 === 0).length;
    const report = await importEngagements(db.prisma, editedFile);
    expect(report).toMatchObject({ created: 0, updated: changed, unchanged: COUNT - changed, errors: [] });

    expect(parsedById(await exportEngagements(db.prisma))).toEqual(parsedById(editedFile));
    const after = await db.prisma.meeting.findMany({ include: { outcomes: true } });
    for (const meeting of after) {
      const old = before.get(meeting.slug)!;
      const revised = meeting.title.endsWith(', revised');
      expect(meeting.id).toBe(old.id);
      expect(meeting.version).toBe(revised ? old.version + 1 : old.version);
      if (!revised) expect(meeting.updatedAt).toEqual(old.updatedAt);
      // The outcome at position 0 keeps its row (and so its global id).
      expect(meeting.outcomes.find((o) => o.position === 0)!.id).toBe(old.outcomes.find((o) => o.position === 0)!.id);
    }
    const updates = await db.prisma.change.findMany({ where: { action: 'UPDATE' }, orderBy: { id: 'asc' } });
    expect(updates.map((c) => c.recordSlug)).toEqual(edited.filter((_, i) => i % 3 === 0).map((r) => r.id));
    const originals = parsedById(file);
    expect(updates.map((c) => c.before)).toEqual(updates.map((c) => originals.get(c.recordSlug)));
    const [{ stale }] = await db.prisma.$queryRaw<{ stale: number }[]>`SELECT count(*)::int AS stale FROM meeting m
      WHERE search_vector IS DISTINCT FROM meeting_search_vector(m)`;
    expect(stale).toBe(0);
  });

  /** A value PostgreSQL refuses in text, which only the database can tell: the write fails midway. */
  const unstorable = (record: (typeof records)[number]) =>
    fixtureRecord({ ...record, participants: [{ ...record.participants[0], role: 'Envoy\u0000' }, ...record.participants.slice(1)] });

  test('a failure midway through a large first import leaves the database empty', async () => {
    const bad = records.map((record, i) => (i === 250 ? unstorable(record) : record));
    await expect(importEngagements(db.prisma, toJsonl(bad))).rejects.toThrow(/Unicode|0x00|\\u0000/);
    expect(Object.values(await tableCounts()).every((n) => n === 0)).toBe(true);
  });

  test('a failure midway through a large mixed import leaves the database as it was', async () => {
    await importEngagements(db.prisma, toJsonl(records.slice(0, 100)));
    const counts = await tableCounts();
    const exported = await exportEngagements(db.prisma);
    const bad = records.map((record, i) =>
      i === 250 ? unstorable(record) : i < 100 && i % 2 ? fixtureRecord({ ...record, title: `${record.title}, must not stick` }) : record,
    );
    await expect(importEngagements(db.prisma, toJsonl(bad))).rejects.toThrow(/Unicode|0x00|\\u0000/);
    expect(await tableCounts()).toEqual(counts);
    expect(await exportEngagements(db.prisma)).toBe(exported);
  });
});
