/**
 * No N+1: the number of SQL statements a query sends depends on its shape, never on page sizes.
 * Planned queries are one statement; executed ones load related rows in batches per request.
 */
import { importEngagements } from '../src/modules/engagements/engagement-import.service';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createTestClient, type TestClient } from './helpers/graphql';
import { syntheticRecords, toJsonl } from './fixtures/records';

let db: TestDatabase;
let client: TestClient;
beforeAll(async () => {
  db = await createTestDatabase();
  // Synthetic meetings add ones whose every part is filled in (participants with organisations,
  // sources, links), so no level of a page is empty and a constant count proves something.
  const report = await importEngagements(db.prisma, toJsonl(syntheticRecords(40)));
  expect(report.errors).toEqual([]);
  client = await createTestClient(db);
});
afterAll(async () => {
  await client.stop();
  await db.drop();
});

const DASHBOARD_PAGE = `query Page($first: Int!) {
  meetings(first: $first) {
    totalCount
    edges { node {
      title startDate
      channels { slug name }
      outcomes { status description channel { slug } }
      participants { role side person { name } organization { name } }
      hosts { name }
      sources { publisher url }
      related { relation meeting { slug } }
    } }
  }
}`;

async function statementsFor(query: string, variables: Record<string, unknown>) {
  db.statements.length = 0;
  const data = await client.data(query, variables);
  return { count: db.statements.length, data };
}

test('a page of meetings with all their parts takes the same small number of statements for 5, 20 and 50', async () => {
  // The channel list is read once per process (reference data); read it before counting.
  await statementsFor(DASHBOARD_PAGE, { first: 1 });
  const counts: Record<number, number> = {};
  for (const first of [5, 20, 50]) {
    const { count, data } = await statementsFor(DASHBOARD_PAGE, { first });
    expect(data.meetings.edges).toHaveLength(first);
    // Every part was really loaded: otherwise a constant count would prove nothing.
    expect(data.meetings.edges.every((e: any) => e.node.sources.length > 0 && e.node.channels.length > 0)).toBe(true);
    expect(data.meetings.edges.some((e: any) => e.node.participants.some((p: any) => p.person && p.organization))).toBe(true);
    counts[first] = count;
  }
  expect(counts[5]).toBe(counts[50]);
  expect(counts[20]).toBe(counts[50]);
  // The read planner compiles the whole operation — the page, its count, every part of every
  // meeting and the meetings `related` names — into one statement. Executed field by field
  // through the loaders it takes 8.
  expect(counts[50]).toBe(1);
});

test('nested connections under a channel do not multiply statements either', async () => {
  const query = `query ($first: Int!) { channel(slug: "military") { meetings(first: $first) { edges { node {
    outcomes(status: [AGREED, IMPLEMENTED, PLANNED, DISCUSSED]) { meeting { title } channel { slug } }
  } } } } }`;
  await statementsFor(query, { first: 1 });
  const small = await statementsFor(query, { first: 5 });
  const large = await statementsFor(query, { first: 50 });
  expect(large.data.channel.meetings.edges.length).toBeGreaterThan(5);
  expect(large.count).toBe(small.count);
});

/** The issue 10 bench shapes, each with its page size (or list limit) as `$first`. */
const BENCH_SHAPES: [string, string, (data: any) => number][] = [
  [
    'channels → meetings → outcomes and hosts',
    `query ($first: Int!) { channels { slug meetings(first: $first) { totalCount edges { node {
    title outcomes { status description } hosts { slug name } } } } } }`,
    (d) => Math.max(...d.channels.map((c: any) => c.meetings.edges.length)),
  ],
  [
    'one meeting with every part',
    `query ($first: Int!) { meeting(slug: "2023-11-15-woodside") { title
    channels { slug } outcomes { status channel { slug } } participants { role person { name } organization { name } }
    hosts { name } sources { url } related(limit: $first) { relation direction meeting { slug title } } } }`,
    (d) => d.meeting.related.length,
  ],
  [
    "a person's page",
    `query ($first: Int!) { person(slug: "antony-blinken") { participationCount
    participations(limit: $first) { role side meeting { title outcomes { status description channel { slug name } } } } } }`,
    (d) => d.person.participations.length,
  ],
  [
    'the outcome board',
    `query ($first: Int!) { outcomes(first: $first, filter: { statuses: [AGREED, IMPLEMENTED] }) { totalCount
    edges { node { description channel { slug } meeting { title participants { role side person { name } } } } } } }`,
    (d) => d.outcomes.edges.length,
  ],
  [
    'a deep keyset page',
    `query ($first: Int!) { first: meetings(first: 60) { pageInfo { endCursor } }
    meetings(first: $first, after: "CURSOR") { pageInfo { hasNextPage } edges { node { slug channels { slug } } } } }`,
    (d) => d.meetings.edges.length,
  ],
];

describe('every bench shape takes at most two statements, whatever its page size', () => {
  let cursor = '';
  beforeAll(async () => {
    const data = await client.data('{ meetings(first: 60) { pageInfo { endCursor } } }');
    cursor = data.meetings.pageInfo.endCursor;
  });
  // One parameter: a test function with more parameters than a row's values is given `done`.
  test.each(BENCH_SHAPES)('%s', async (...[, text, rows]) => {
    const query = text.replace('CURSOR', cursor);
    await statementsFor(query, { first: 1 });
    const counts: number[] = [];
    let largest = 0;
    for (const first of [5, 20, 50]) {
      const { count, data } = await statementsFor(query, { first });
      counts.push(count);
      largest = Math.max(largest, rows(data));
    }
    // The largest page really was larger than the smallest, or the constant count proves nothing.
    expect(largest).toBeGreaterThan(5);
    expect(counts[0]).toBeLessThanOrEqual(2);
    expect(new Set(counts).size).toBe(1);
  });

  test('node(id:) for four types at once', async () => {
    const ids = await client.data(
      `{ meeting(slug: "2023-11-15-woodside") { id outcomes { id } hosts { id } participants { person { id } } } }`,
    );
    const m = ids.meeting;
    const query = `query ($a: ID!, $b: ID!, $c: ID!, $d: ID!) { a: node(id: $a) { __typename ... on Meeting { slug } }
      b: node(id: $b) { __typename ... on Outcome { description meeting { slug } } } c: node(id: $c) { __typename ... on Organization { name } }
      d: node(id: $d) { __typename ... on Person { name } } }`;
    const person = m.participants.find((p: any) => p.person)?.person.id;
    const { count, data } = await statementsFor(query, { a: m.id, b: m.outcomes[0].id, c: m.hosts[0].id, d: person });
    expect([data.a, data.b, data.c, data.d].map((n: any) => n.__typename)).toEqual(['Meeting', 'Outcome', 'Organization', 'Person']);
    expect(count).toBeLessThanOrEqual(2);
  });
});

test('statements are prepared by name, so a connection parses and plans each text once', async () => {
  // Runs on one of the pool's connections; while it executes, its own prepared form is listed.
  const rows = await db.prisma.$queryRaw<{ name: string }[]>`
    SELECT name FROM pg_prepared_statements WHERE statement LIKE '%FROM pg_prepared_statements WHERE statement LIKE%'`;
  expect(rows).toHaveLength(1);
  expect(rows[0].name).toMatch(/^q[\w-]{27}$/);
});
