import { Prisma } from '../src/generated/prisma/client';
import { createLoaders } from '../src/context';
import { applyMigrations } from '../src/db/migrate';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { searchStatement } from '../src/modules/search/search.service';
import { SearchKind } from '../src/modules/search/search.types';
import { createTestDatabase } from './helpers/database';
import { useSeededClient } from './helpers/graphql';
import { fixtureRecord, toJsonl } from './fixtures/records';

const t = useSeededClient();

const HIT = `kind score snippet node {
  __typename
  ... on Meeting { slug channels { slug } }
  ... on Outcome { description channel { slug } }
  ... on Person { name }
  ... on Organization { name }
}`;

async function search(args: string) {
  const { search } = await t.client.data(`{ search(${args}) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${HIT} } } } }`);
  return search;
}

test('"fentanyl" finds the counternarcotics work, outcomes first, with highlighted snippets', async () => {
  const result = await search('query: "fentanyl", first: 20');
  expect(result.totalCount).toBeGreaterThan(2);
  const hits = result.edges.map((e: any) => e.node);
  expect(hits[0].kind).toBe('OUTCOME');
  const outcomeHits = hits.filter((h: any) => h.kind === 'OUTCOME');
  expect(outcomeHits.every((h: any) => /fentanyl/i.test(h.node.description) || /fentanyl/i.test(h.snippet))).toBe(true);
  expect(outcomeHits.some((h: any) => h.node.channel.slug === 'counternarcotics')).toBe(true);
  expect(hits.every((h: any) => /<b>fentanyl<\/b>/i.test(h.snippet))).toBe(true);
  const scores = hits.map((h: any) => h.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
});

test('a misspelt name ("Blinkin") finds Antony Blinken', async () => {
  const hits = (await search('query: "Blinkin"')).edges.map((e: any) => e.node);
  expect(hits[0]).toMatchObject({ kind: 'PERSON', node: { name: 'Antony Blinken' } });
});

test('English stemming: "suspending" matches suspended and suspension', async () => {
  const hits = (await search('query: "suspending", kinds: [OUTCOME], first: 50')).edges.map((e: any) => e.node);
  expect(hits.length).toBeGreaterThan(0);
  expect(hits.every((h: any) => /suspen/i.test(h.snippet))).toBe(true);
});

test('roles are searchable: "national security advisor" finds the people who held the post', async () => {
  const hits = (await search('query: "national security advisor", kinds: [PERSON]')).edges.map((e: any) => e.node.node.name);
  expect(hits).toEqual(expect.arrayContaining(['Jake Sullivan', 'Tom Donilon']));
});

test('a meeting filter narrows every kind of hit to the meetings it selects', async () => {
  const all = await search('query: "climate", first: 100');
  const scoped = await search('query: "climate", first: 100, filter: { from: "2023", to: "2023" }');
  expect(scoped.totalCount).toBeGreaterThan(0);
  expect(scoped.totalCount).toBeLessThan(all.totalCount);
  const meetings = scoped.edges.filter((e: any) => e.node.kind === 'MEETING').map((e: any) => e.node.node.slug);
  expect(meetings.every((slug: string) => slug.startsWith('2023'))).toBe(true);
});

test('pages through every hit exactly once', async () => {
  // A word with more hits than a few pages of 4 and fewer than one page of 100.
  const full = await search('query: "hotline", first: 100');
  expect(full.totalCount).toBeGreaterThan(6);
  expect(full.pageInfo.hasNextPage).toBe(false);
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const page: any = await search(`query: "hotline", first: 4${after ? `, after: "${after}"` : ''}`);
    seen.push(...page.edges.map((e: any) => `${e.node.kind}:${e.node.node.__typename}:${e.node.snippet}`));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  expect(seen).toEqual(full.edges.map((e: any) => `${e.node.kind}:${e.node.node.__typename}:${e.node.snippet}`));
});

test('an empty query is refused naming the argument', async () => {
  const result = await t.client.query('{ search(query: "   ") { totalCount } }');
  expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'query' });
});

test('a person matches on a word of their name and a word of a role together, and not when a word is excluded', async () => {
  const names = async (query: string) =>
    (await search(`query: "${query}", kinds: [PERSON], first: 100`)).edges.map((e: any) => e.node.node.name);
  expect((await names('Sullivan advisor'))[0]).toBe('Jake Sullivan');
  const excluded = await names('national security advisor -Sullivan');
  expect(excluded).toContain('Tom Donilon');
  expect(excluded).not.toContain('Jake Sullivan');
});

test('totalCount comes from the statement that reads the page, and holds on an empty page', async () => {
  const countStatements = () => t.db.statements.filter((sql) => sql.includes('ts_headline')).length;
  const before = countStatements();
  const first = await search('query: "hotline", first: 100');
  expect(countStatements() - before).toBe(1);
  expect(first.pageInfo.hasNextPage).toBe(false);
  const beyond = await search(`query: "hotline", first: 5, after: "${first.pageInfo.endCursor}"`);
  expect(beyond).toMatchObject({ totalCount: first.totalCount, edges: [] });
});

describe('the stored search document of a meeting', () => {
  const MEETING_SLUGS = (query: string) =>
    `{ search(query: "${query}", kinds: [MEETING], first: 100) { edges { node { snippet node { ... on Meeting { slug } } } } } }`;
  const meetingHits = async (query: string) =>
    (await t.client.data(MEETING_SLUGS(query))).search.edges.map((e: any) => ({ slug: e.node.node.slug, snippet: e.node.snippet }));
  const slugsFor = async (query: string) => (await meetingHits(query)).map((hit: { slug: string }) => hit.slug);
  let editor = '';
  beforeAll(async () => {
    editor = `Bearer ${(await createApiKey(t.db.prisma, 'search test editor', 'EDITOR')).key}`;
  });

  test('updateMeeting: search finds the meeting by its new participant and source title, not by the old ones', async () => {
    const slug = '2030-07-01-fixture-search-update';
    const source = (title: string) => ({ publisher: 'Fixture Gazette', title, url: 'https://example.org/fixture-search' });
    const input = {
      slug,
      title: 'Fixture consultations',
      startDate: '2030-07-01',
      datePrecision: 'DAY',
      kind: 'MILITARY_TALKS',
      track: 'TRACK_1',
      mode: 'IN_PERSON',
      hosts: ['Fixture Host Office'],
      participants: [{ name: 'Zorblax Quennington', role: 'Envoy', side: 'US' }],
      channels: ['military'],
      outcomes: [],
      sources: [source('Vellichor dispatch')],
      uncertain: false,
    };
    await t.client.data('mutation ($input: MeetingInput!) { upsertMeeting(input: $input) { slug } }', { input }, editor);
    expect(await slugsFor('Quennington')).toEqual([slug]);
    expect(await slugsFor('Vellichor')).toEqual([slug]);

    await t.client.data(
      'mutation ($slug: String!, $patch: MeetingPatch!) { updateMeeting(slug: $slug, version: 1, patch: $patch) { version } }',
      { slug, patch: { participants: [{ name: 'Pemberly Ostrakov', role: 'Envoy', side: 'US' }], sources: [source('Quixotic ledger')] } },
      editor,
    );
    expect(await slugsFor('Quennington')).toEqual([]);
    expect(await slugsFor('Vellichor')).toEqual([]);
    expect(await meetingHits('Ostrakov')).toEqual([{ slug, snippet: expect.stringContaining('<b>Ostrakov</b>') }]);
    expect(await slugsFor('Quixotic')).toEqual([slug]);
  });

  test('importEngagements: a re-imported record is found by its new host, not by the old one', async () => {
    const record = (hosts: string[]) =>
      fixtureRecord({ id: '2030-08-01-fixture-search-import', startDate: '2030-08-01', endDate: null, hosts });
    const importJsonl = (jsonl: string) =>
      t.client.data(
        'mutation ($jsonl: String!) { importEngagements(jsonl: $jsonl) { created updated errors { message } } }',
        { jsonl },
        editor,
      );
    expect((await importJsonl(toJsonl([record(['Glimmerwick Institute'])]))).importEngagements).toMatchObject({ created: 1, errors: [] });
    expect(await slugsFor('Glimmerwick')).toEqual(['2030-08-01-fixture-search-import']);

    expect((await importJsonl(toJsonl([record(['Thistlewaite Foundation'])]))).importEngagements).toMatchObject({ updated: 1, errors: [] });
    expect(await slugsFor('Glimmerwick')).toEqual([]);
    expect(await slugsFor('Thistlewaite')).toEqual(['2030-08-01-fixture-search-import']);
  });

  test('every meeting, seeded or written since, holds what meeting_search_vector() computes for it now', async () => {
    const [row] = await t.db.prisma.$queryRaw<{ meetings: number; stale: number; empty: number }[]>`
      SELECT count(*)::int AS meetings,
             count(*) FILTER (WHERE m.search_vector IS DISTINCT FROM meeting_search_vector(m))::int AS stale,
             count(*) FILTER (WHERE m.search_vector = ''::tsvector)::int AS empty
      FROM meeting m`;
    expect(row).toEqual({ meetings: expect.any(Number), stale: 0, empty: 0 });
    expect(row.meetings).toBeGreaterThan(2);
  });

  test('the meeting search reads the GIN index on the stored document', async () => {
    const { prefix, rows } = await searchStatement(
      { loaders: createLoaders(t.db.prisma) },
      { query: 'climate OR hotline', kinds: [SearchKind.MEETING], first: 5 },
    );
    // With sequential and plain index scans priced out, a plan that still reads the table through
    // an index must use an index that matches the text condition: the table is too small for the
    // planner to prefer the index by cost alone, which would make the test depend on statistics.
    const plan = await t.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      await tx.$executeRawUnsafe('SET LOCAL enable_indexscan = off');
      return tx.$queryRaw<{ 'QUERY PLAN': unknown }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${prefix} ${rows}`);
    });
    const scans = JSON.stringify(plan).match(/"Index Name":"[a-z_]+"/g) ?? [];
    expect(scans).toContain('"Index Name":"meeting_search_vector_idx"');
  });
});

test('the migration backfills the search document of meetings written before it', async () => {
  const db = await createTestDatabase();
  try {
    const stored = () => db.prisma.$queryRaw<{ id: number; doc: string }[]>`SELECT id, search_vector::text AS doc FROM meeting ORDER BY id`;
    const written = await stored();
    // Back to the schema before the migration, data kept (the dropped expression index is stood in for).
    for (const sql of [
      'DROP INDEX person_name_search_idx, organization_name_search_idx, participation_role_search_idx',
      'ALTER TABLE meeting DROP COLUMN search_vector',
      'DROP FUNCTION meeting_search_vector(meeting)',
      'DROP FUNCTION meeting_search_related_text(integer)',
      'CREATE INDEX meeting_search_idx ON meeting (id)',
      "DELETE FROM _prisma_migrations WHERE migration_name LIKE '%meeting_search_vector'",
    ]) {
      await db.prisma.$executeRawUnsafe(sql);
    }
    expect((await applyMigrations(db.url)).applied).toEqual([expect.stringMatching(/_meeting_search_vector$/)]);
    expect(await stored()).toEqual(written);
  } finally {
    await db.drop();
  }
});
