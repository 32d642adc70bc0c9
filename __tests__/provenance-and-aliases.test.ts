/**
 * Issue 13 through the API: the coverage questions a dashboard asks, answered on the seed and
 * checked against the data file; outcome provenance; and organisation aliases, from the
 * importer to lookups, search and export.
 */
import { readFileSync } from 'node:fs';
import { applyMigrations } from '../src/db/migrate';
import { exportEngagements } from '../src/modules/engagements/engagement-export.service';
import { importEngagements } from '../src/modules/engagements/engagement-import.service';
import { readOrganizationList, syncOrganizationAliases } from '../src/modules/engagements/organization-aliases';
import { SEED_FILE } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { useSeededClient } from './helpers/graphql';
import { fixtureRecord, toJsonl } from './fixtures/records';

const records: any[] = readFileSync(SEED_FILE, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const t = useSeededClient();

/** How many of the two governments claim an outcome; a joint text is both. */
const sides = (o: any) => {
  const a: string[] = o.assertedBy ?? [];
  return Number(a.includes('us') || a.includes('joint')) + Number(a.includes('cn') || a.includes('joint'));
};

describe('the coverage questions a dashboard asks', () => {
  test('engagements per year by channel', async () => {
    const { stats } = await t.client.data('{ stats(groupBy: [YEAR, CHANNEL]) { year channel { slug } count } }');
    const expected = new Map<string, number>();
    for (const r of records)
      for (const c of r.channels) {
        const key = `${r.startDate.slice(0, 4)} ${c}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    expect(new Map(stats.map((b: any) => [`${b.year} ${b.channel.slug}`, b.count]))).toEqual(expected);
    // Every year of the range is there, with at least 8 engagements (the data set's target).
    const { perYear } = await t.client.data('{ perYear: stats(groupBy: [YEAR]) { year count } }');
    expect(perYear.map((b: any) => b.year)).toEqual(Array.from({ length: 13 }, (_, i) => 2013 + i));
    for (const b of perYear) expect(b.count).toBeGreaterThanOrEqual(8);
  });

  test("a channel's timeline, 2013 to 2025", async () => {
    const { timelines } = await t.client.data(
      '{ timelines(channels: ["counternarcotics"], filter: { from: "2013", to: "2025" }) { truncated events { date status phase meeting { slug } } } }',
    );
    const [timeline] = timelines;
    const expected = records.flatMap((r) => r.outcomes.filter((o: any) => o.channel === 'counternarcotics').map(() => r.id));
    expect(timeline.truncated).toBe(false);
    expect(timeline.events.map((e: any) => e.meeting.slug).sort()).toEqual(expected.sort());
    // Suspended in August 2022, resumed by the Woodside agreement of November 2023.
    const phaseAt = (slug: string) => timeline.events.find((e: any) => e.meeting.slug === slug).phase;
    expect(phaseAt('2022-08-05-prc-countermeasures')).toBe('SUSPENDED');
    expect(phaseAt('2023-11-15-woodside')).toBe('RESUMED');
  });

  test('outcomes asserted by one side only, in one query, and per year', async () => {
    const oneSided = records.flatMap((r) =>
      r.outcomes.filter((o: any) => sides(o) === 1).map((o: any) => ({ ...o, year: Number(r.startDate.slice(0, 4)) })),
    );
    expect(oneSided.length).toBeGreaterThan(0);
    const { outcomes, perYear } = await t.client.data(`{
      outcomes(filter: { sideClaims: ONE_SIDE }, first: 1) { totalCount }
      perYear: stats(measure: OUTCOMES, groupBy: [YEAR], outcomeFilter: { sideClaims: ONE_SIDE }) { year count }
    }`);
    expect(outcomes.totalCount).toBe(oneSided.length);
    const expected = new Map<number, number>();
    for (const o of oneSided) expected.set(o.year, (expected.get(o.year) ?? 0) + 1);
    expect(new Map(perYear.map((b: any) => [b.year, b.count]))).toEqual(expected);
  });
});

describe('outcome provenance', () => {
  test('the August 2024 readouts differ: the second AI round is the Chinese readout’s alone', async () => {
    const record = records.find((r) => r.id === '2024-08-27-sullivan-wang');
    const { meeting } = await t.client.data(
      '{ meeting(slug: "2024-08-27-sullivan-wang") { outcomes { channel { slug } assertedBy sources { publisher url } } } }',
    );
    const ai = meeting.outcomes.find((o: any) => o.channel.slug === 'ai');
    expect(ai.assertedBy).toEqual(['CN']);
    const cited = record.outcomes.find((o: any) => o.channel === 'ai').sources.map((i: number) => record.sources[i]);
    expect(ai.sources).toEqual(cited.map((s: any) => ({ publisher: s.publisher, url: s.url })));
    // Every outcome of the record comes back with the provenance the file gives it.
    expect(meeting.outcomes.map((o: any) => o.assertedBy)).toEqual(
      record.outcomes.map((o: any) => o.assertedBy.map((a: string) => a.toUpperCase())),
    );
  });
});

describe('one body, one organisation', () => {
  test('an organisation is found by the slug and the text of any alias, and lists its aliases', async () => {
    const data = await t.client.data(`{
      byAlias: organization(slug: "cicir") { slug name aliases }
      byName: organization(slug: "china-institutes-of-contemporary-international-relations-cicir") { slug }
      search(query: "CICIR", kinds: [ORGANIZATION]) { edges { node { node { ... on Organization { slug } } } } }
    }`);
    expect(data.byAlias).toEqual({
      slug: 'china-institutes-of-contemporary-international-relations-cicir',
      name: 'China Institutes of Contemporary International Relations (CICIR)',
      aliases: expect.arrayContaining(['CICIR']),
    });
    expect(data.byName.slug).toBe(data.byAlias.slug);
    expect(data.search.edges.map((e: any) => e.node.node.slug)).toContain(data.byAlias.slug);
  });

  describe('import and export', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ empty: true });
      await applyMigrations(db.url);
      await syncOrganizationAliases(db.prisma, await readOrganizationList());
    });
    afterAll(() => db.drop());

    const record = fixtureRecord({
      hosts: ['CICIR', 'China Institutes of Contemporary International Relations'],
      participants: [{ name: 'Fixture Scholar', role: 'Researcher', organization: 'CICIR', side: 'CN' }] as any,
    });

    test('an alias is stored as the canonical organisation, a second import changes nothing, and the export writes the canonical name', async () => {
      expect(await importEngagements(db.prisma, toJsonl([record]))).toMatchObject({ created: 1, errors: [] });
      expect(await importEngagements(db.prisma, toJsonl([record]))).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      const [line] = (await exportEngagements(db.prisma)).trim().split('\n');
      const out = JSON.parse(line);
      const canonical = 'China Institutes of Contemporary International Relations (CICIR)';
      // Two names of one host are one host.
      expect(out.hosts).toEqual([canonical]);
      expect(out.participants[0].organization).toBe(canonical);
      expect(await db.prisma.organization.count({ where: { name: { contains: 'CICIR' } } })).toBe(1);
    });

    test('start-up merges organisations created under an alias before the list named it', async () => {
      await db.prisma.organizationAlias.deleteMany({ where: { slug: 'pla' } });
      const other = fixtureRecord({
        id: '2030-02-01-fixture-pla',
        participants: [{ name: 'Fixture Officer', role: 'Colonel', organization: 'PLA', side: 'CN' }] as any,
      });
      await importEngagements(db.prisma, toJsonl([other]));
      expect(await db.prisma.organization.findUnique({ where: { slug: 'pla' } })).not.toBeNull();
      await syncOrganizationAliases(db.prisma, await readOrganizationList());
      expect(await db.prisma.organization.findUnique({ where: { slug: 'pla' } })).toBeNull();
      const exported = (await exportEngagements(db.prisma))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(exported.find((r) => r.id === other.id).participants[0].organization).toBe("People's Liberation Army");
    });
  });
});

test('old files without provenance still import, with empty provenance', async () => {
  const db = await createTestDatabase({ empty: true });
  try {
    await applyMigrations(db.url);
    const plain = fixtureRecord();
    expect(plain.outcomes.every((o: any) => !('assertedBy' in o) && !('sources' in o))).toBe(true);
    expect(await importEngagements(db.prisma, toJsonl([plain]))).toMatchObject({ created: 1, errors: [] });
    const rows = await db.prisma.outcome.findMany({ select: { assertedBy: true, sourcePositions: true } });
    expect(rows.every((o) => o.assertedBy.length === 0 && o.sourcePositions.length === 0)).toBe(true);
    // A bad source index is refused with its path.
    const bad = fixtureRecord({ outcomes: [{ channel: 'military', description: 'Fixture.', status: 'agreed', sources: [3] }] as any });
    const report = await importEngagements(db.prisma, toJsonl([bad]));
    expect(report.errors).toEqual([expect.objectContaining({ field: 'outcomes[0].sources[0]' })]);
  } finally {
    await db.drop();
  }
});
