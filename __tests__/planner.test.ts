/**
 * The read planner answers exactly what execution answers: every query here runs twice on the
 * same database — planned (one SQL statement) and executed field by field through the resolvers
 * and loaders — and the two responses must be identical, for every type and field the planner
 * covers, with aliases, fragments, directives, arguments, filters, orderings and pages both ways.
 */
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createTestClient, type TestClient } from './helpers/graphql';
import { createApiKey } from '../src/modules/auth/api-key.service';

let db: TestDatabase;
let planned: TestClient;
let executed: TestClient;

beforeAll(async () => {
  db = await createTestDatabase();
  planned = await createTestClient(db, { planner: true });
  executed = await createTestClient(db, { planner: false });
  // The channel list is read once per process (reference data): read it before counting statements.
  await planned.data('{ meetings(first: 1, filter: { channels: ["military"] }) { totalCount } }');
});
afterAll(async () => {
  await planned.stop();
  await executed.stop();
  await db.drop();
});

const MEETING_FIELDS = `__typename id slug title kind track mode startDate endDate datePrecision city region country countryCode
  venue summary uncertain uncertaintyNotes version trip`;
const PARTS = `
  channels { __typename id slug name description }
  outcomes { id description status note assertedBy sources { publisher url } channel { slug } meeting { slug } fulfilledBy { slug startDate } }
  participants { __typename delegation headcount role side note person { id slug name } organization { id slug name } meeting { slug } }
  hosts { id slug name aliases }
  sources { __typename publisher title url publishedDate note }
  related { __typename relation direction meeting { slug title } }`;

/** Runs a query both ways; returns the planned result after checking it equals the executed one. */
async function same(query: string, variables: Record<string, unknown> = {}) {
  db.statements.length = 0;
  const viaPlan = await planned.query(query, variables);
  const statements = db.statements.length;
  const viaExecution = await executed.query(query, variables);
  // extensions.cost is the same too (it is computed from the data), so compare whole results.
  if (JSON.stringify(viaPlan) !== JSON.stringify(viaExecution)) {
    // A readable failure: the first difference, not a diff of two whole pages.
    expect({ planned: firstDifference(viaPlan, viaExecution), executed: firstDifference(viaExecution, viaPlan) }).toEqual({
      planned: null,
      executed: null,
    });
  }
  return { result: viaPlan, statements };
}

/** The first path where `a` differs from `b`, with both values; null when they are equal. */
function firstDifference(a: unknown, b: unknown, path = ''): unknown {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as any)[key], (b as any)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return { path, value: JSON.stringify(a)?.slice(0, 400) };
}

const CASES: [string, string, Record<string, unknown>?][] = [
  [
    'a dashboard page with every part',
    `{ meetings(first: 12) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${MEETING_FIELDS} ${PARTS} } } } }`,
  ],
  [
    'a page ordered by title, both ways',
    `{ a: meetings(first: 5, orderBy: [TITLE_ASC]) { edges { cursor node { title } } } b: meetings(last: 5, orderBy: [TITLE_DESC, START_DATE_ASC]) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { title startDate } } } }`,
  ],
  [
    'a filtered page',
    `{ meetings(first: 10, filter: { channels: ["military", "climate"], from: "2023", outcomes: { statuses: [AGREED, IMPLEMENTED] }, not: [{ tracks: [TRACK_2] }] }) { totalCount edges { node { slug outcomes(status: [AGREED], channel: "military") { description } } } } }`,
  ],
  [
    'an empty page',
    `{ meetings(first: 3, filter: { countryCode: "ZZ" }) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { slug } } } }`,
  ],
  [
    'channels with nested connections',
    `{ channels { slug name meetings(first: 3) { totalCount edges { node { title outcomes { status } hosts { name } } } } outcomes(first: 2, status: [IMPLEMENTED]) { totalCount edges { cursor node { description meeting { slug } } } } } }`,
  ],
  [
    'one channel, filtered meetings',
    `{ channel(slug: "counternarcotics") { __typename id meetings(first: 4, filter: { from: "2024" }, orderBy: [START_DATE_ASC]) { totalCount pageInfo { endCursor hasNextPage } edges { node { slug } } } } nope: channel(slug: "astrology") { slug } }`,
  ],
  [
    'outcomes board',
    `{ outcomes(first: 30, filter: { statuses: [PLANNED, AGREED], fulfilled: false }) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { __typename id description status channel { slug } meeting { title participants { role person { name } } } } } } }`,
  ],
  [
    'outcomes backwards',
    `{ outcomes(last: 4) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { description } } } }`,
  ],
  [
    'a meeting by slug with every part',
    `{ meeting(slug: "2024-08-27-sullivan-wang") { ${MEETING_FIELDS} ${PARTS} } missing: meeting(slug: "1999-01-01-nothing") { slug } }`,
  ],
  [
    'a person page',
    `{ person(slug: "antony-blinken") { __typename id slug name participationCount participations { role side meeting { title startDate outcomes { status channel { slug } } } } few: participations(limit: 2) { role } } }`,
  ],
  ['an organisation by the slug of an alias', `{ organization(slug: "cicir") { slug name aliases } }`],
  [
    'an organisation page',
    `{ organization(slug: "u-s-department-of-state") { id slug name hostedCount hosted { slug title } one: hosted(limit: 1) { slug } } }`,
  ],
  [
    'people and organisations',
    `{ people(first: 5, search: "an") { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name slug } } } organizations(first: 7) { totalCount edges { node { name hosted(limit: 2) { slug } } } } }`,
  ],
  [
    'fragments, inline fragments, aliases and directives',
    `query($yes: Boolean!, $no: Boolean!) { meetings(first: 3) { edges { node { ...Core alias: title ... on Meeting { kind } skipped: slug @skip(if: $yes) kept: slug @include(if: $yes) gone: venue @include(if: $no) } } } } fragment Core on Meeting { slug title channels { ...C } } fragment C on Channel { slug }`,
    { yes: true, no: false },
  ],
  ['the same field twice, merged', `{ meetings(first: 2) { edges { node { outcomes { status } outcomes { description } } } } }`],
  [
    'related meetings both ways, with a limit',
    `{ meeting(slug: "2023-11-15-woodside") { related(limit: 3) { relation direction meeting { slug related { relation meeting { slug } } } } } }`,
  ],
  ['__typename at the root', `{ __typename channels { __typename } }`],
  [
    'search, every kind of hit',
    `{ search(query: "military dialogue", first: 15) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { __typename kind score snippet node { __typename ... on Meeting { slug } ... on Outcome { description } ... on Person { name } ... on Organization { name aliases } } } } } }`,
  ],
  [
    'search with a filter, kinds and a page',
    `{ search(query: "climate", kinds: [MEETING, OUTCOME], filter: { from: "2021" }, first: 5) { totalCount edges { cursor node { kind score node { ... on Meeting { title } } } } } }`,
  ],
  ['a misspelt name', `{ search(query: "Blinkin") { edges { node { kind snippet node { ... on Person { slug } } } } } }`],
  [
    'stats in every grouping a chart uses',
    `{ a: stats(groupBy: [CHANNEL, STATUS], measure: OUTCOMES) { channel { slug name } status count } b: stats(groupBy: [YEAR, TRACK]) { year track count } c: stats(groupBy: [SIDE], filter: { channels: ["military"], from: "2023" }, outcomeFilter: { statuses: [IMPLEMENTED] }) { side count } d: stats(groupBy: []) { count } e: stats(groupBy: [MONTH, KIND, COUNTRY]) { __typename month kind countryCode count } }`,
  ],
  [
    'timelines with phases, limits and truncation',
    `{ timelines(channels: ["military", "climate"]) { channel { slug } truncated events { date status phase outcome { description } meeting { title } } } few: timelines(filter: { from: "2022" }) { channel { name } truncated events(limit: 2) { phase } } }`,
  ],
  [
    'outcomes only one side claims',
    `{ outcomes(first: 20, filter: { sideClaims: ONE_SIDE }) { totalCount edges { node { description assertedBy sources { title } } } } }`,
  ],
];

describe('planned and executed responses are identical', () => {
  // One parameter: a test function with more parameters than a row's values is given `done`.
  test.each(CASES)('%s', async (...[, query, variables]) => {
    const { result, statements } = await same(query, variables ?? {});
    expect(result.errors).toBeUndefined();
    // Planned: one statement, whatever the nesting (execution takes several).
    expect(statements).toBe(1);
  });
});

test('node(id:) for every type, and lookups by id', async () => {
  const ids = await planned.data(
    `{ meetings(first: 1) { edges { node { id outcomes { id } channels { id } participants { person { id } organization { id } } } } } }`,
  );
  const meeting = ids.meetings.edges[0].node;
  const all = [
    meeting.id,
    meeting.outcomes[0].id,
    meeting.channels[0].id,
    meeting.participants[0].person.id,
    meeting.participants[0].organization.id,
  ];
  for (const id of [...all, 'garbage', 'TWVldGluZzo5OTk5OTk5']) {
    const { result, statements } = await same(
      `query($id: ID!) { node(id: $id) { __typename id ... on Meeting { slug } ... on Outcome { description } ... on Channel { slug } ... on Person { name } ... on Organization { name } } }`,
      { id },
    );
    expect(result.errors).toBeUndefined();
    expect(statements).toBe(1);
  }
  const { result } = await same(`query($id: ID!) { meeting(id: $id) { slug } person(id: $id) { slug } }`, { id: meeting.id });
  expect(result.data.meeting.slug).toBeTruthy();
  expect(result.data.person).toBeNull();
});

test('paging through every meeting by cursor gives the same pages, forwards and backwards', async () => {
  let after: string | null = null;
  const seen: string[] = [];
  for (;;) {
    const { result } = await same(
      `query($after: String) { meetings(first: 7, after: $after) { pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
      { after },
    );
    seen.push(...result.data.meetings.edges.map((e: any) => e.node.slug));
    if (!result.data.meetings.pageInfo.hasNextPage) break;
    after = result.data.meetings.pageInfo.endCursor;
  }
  expect(new Set(seen).size).toBe(seen.length);
  let before: string | null = null;
  const back: string[] = [];
  for (;;) {
    const { result } = await same(
      `query($before: String) { meetings(last: 6, before: $before) { pageInfo { hasPreviousPage startCursor } edges { node { slug } } } }`,
      { before },
    );
    back.unshift(...result.data.meetings.edges.map((e: any) => e.node.slug));
    if (!result.data.meetings.pageInfo.hasPreviousPage) break;
    before = result.data.meetings.pageInfo.startCursor;
  }
  expect(back).toEqual(seen);
});

test("the audit trail, for an ADMIN key; anyone else gets execution's refusal", async () => {
  const { key } = await createApiKey(db.prisma, 'planner admin', 'ADMIN');
  const query = `query($after: String) { changes(first: 4, after: $after, filter: { actor: "seed" }) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id at actor action recordType recordSlug before after } } } }`;
  db.statements.length = 0;
  const viaPlan = await planned.query(query, {}, `Bearer ${key}`);
  // The key's lookup, then the one planned statement.
  expect(db.statements.length).toBe(2);
  expect(viaPlan).toEqual(await executed.query(query, {}, `Bearer ${key}`));
  expect(viaPlan.data.changes.edges).toHaveLength(4);
  const next = await planned.query(query, { after: viaPlan.data.changes.pageInfo.endCursor }, `Bearer ${key}`);
  expect(next).toEqual(await executed.query(query, { after: viaPlan.data.changes.pageInfo.endCursor }, `Bearer ${key}`));
  const refused = await planned.query(query);
  expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('argument errors are reported as execution reports them', async () => {
  {
    // Too many buckets: known only once the statement has run; execution reports it.
    const { result } = await same('{ stats(groupBy: [CHANNEL, STATUS, YEAR], limit: 3) { count } }');
    expect(result.errors?.[0].extensions?.code).toBe('RESULT_TOO_LARGE');
  }
  for (const query of [
    '{ meetings(first: 101) { totalCount } }',
    '{ meetings(after: "garbage") { totalCount } }',
    '{ meetings(filter: { channels: ["astrology"] }) { totalCount } }',
    '{ meeting { slug } }',
    '{ person(slug: "antony-blinken") { participations(limit: 0) { role } } }',
  ]) {
    const { result } = await same(query);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
});
