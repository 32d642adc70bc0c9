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
  // The real data set has 39 meetings; synthetic ones make a page of 50 possible.
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

test('statements are prepared by name, so a connection parses and plans each text once', async () => {
  // Runs on one of the pool's connections; while it executes, its own prepared form is listed.
  const rows = await db.prisma.$queryRaw<{ name: string }[]>`
    SELECT name FROM pg_prepared_statements WHERE statement LIKE '%FROM pg_prepared_statements WHERE statement LIKE%'`;
  expect(rows).toHaveLength(1);
  expect(rows[0].name).toMatch(/^q[\w-]{27}$/);
});
