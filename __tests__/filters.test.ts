/** Composed filters: and/or/not and conditions across relations, checked against the data file. */
import { readFileSync } from 'node:fs';
import { SEED_FILE } from '../src/paths';
import { importEngagements } from '../src/modules/engagements/engagement-import.service';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createTestClient, useSeededClient, type TestClient } from './helpers/graphql';
import { fixtureRecord, toJsonl } from './fixtures/records';

const records: any[] = readFileSync(SEED_FILE, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

const t = useSeededClient();

const ids = (predicate: (r: any) => boolean) =>
  records
    .filter(predicate)
    .map((r) => r.id)
    .sort();
const has = (r: any, channel: string) => r.channels.includes(channel);
const year = (r: any, y: string) => r.startDate.startsWith(y);

async function meetingSlugs(filter: string): Promise<string[]> {
  const { meetings } = await t.client.data(`{ meetings(first: 100, filter: ${filter}) { totalCount edges { node { slug } } } }`);
  expect(meetings.totalCount).toBe(meetings.edges.length);
  return meetings.edges.map((e: any) => e.node.slug).sort();
}

const cases: [string, string, (r: any) => boolean][] = [
  ['or', '{ or: [{ channels: ["ai"] }, { channels: ["counternarcotics"] }] }', (r) => has(r, 'ai') || has(r, 'counternarcotics')],
  ['and', '{ and: [{ channels: ["military"] }, { channels: ["climate"] }] }', (r) => has(r, 'military') && has(r, 'climate')],
  ['not', '{ channels: ["military"], not: [{ from: "2024" }] }', (r) => has(r, 'military') && r.startDate < '2024'],
  [
    'nested or inside and',
    '{ and: [{ tracks: [TRACK_1] }, { or: [{ kinds: [SUMMIT] }, { kinds: [LEADER_CALL] }] }] }',
    (r) => r.track === '1' && ['summit', 'leader_call'].includes(r.kind),
  ],
  [
    'an outcome matching an outcome filter',
    '{ outcomes: { channels: ["military"], statuses: [IMPLEMENTED] } }',
    (r) => r.outcomes.some((o: any) => o.channel === 'military' && o.status === 'implemented'),
  ],
  [
    'a person taking part for a side',
    '{ participation: { person: "jake-sullivan", side: US } }',
    (r) => r.participants.some((p: any) => p.name === 'Jake Sullivan' && p.side === 'US'),
  ],
  ['a side alone', '{ participation: { side: OTHER } }', (r) => r.participants.some((p: any) => p.side === 'other')],
  [
    'related to another meeting, either direction',
    '{ relatedTo: { slug: "2023-11-15-woodside" } }',
    (r) =>
      r.related.some((l: any) => l.id === '2023-11-15-woodside') ||
      records.find((x) => x.id === '2023-11-15-woodside').related.some((l: any) => l.id === r.id),
  ],
  [
    'implementing an outcome of another meeting',
    '{ relatedTo: { slug: "2023-11-15-woodside", relations: [IMPLEMENTS_OUTCOME_OF], direction: OUTGOING } }',
    (r) => r.related.some((l: any) => l.id === '2023-11-15-woodside' && l.relation === 'implements_outcome_of'),
  ],
];

test.each(cases)('meetings: %s', async (_name, filter, predicate) => {
  const expected = ids(predicate);
  expect(expected.length).toBeGreaterThan(0);
  expect(await meetingSlugs(filter)).toEqual(expected);
});

test("outcomes' totalCount reads the meeting only where a filter does, at any depth", async () => {
  // The count joins meeting only for filters that read it (filter.sql.ts outcomeFilterReadsMeeting):
  // a meeting condition found only inside `not` or `and` must still get its join.
  const { nested, plain } = await t.client.data(`{
    nested: outcomes(first: 100, filter: { statuses: [AGREED], not: [{ from: "2020" }], and: [{ meeting: { tracks: [TRACK_1] } }] }) {
      totalCount edges { node { id } }
    }
    plain: outcomes(first: 100, filter: { statuses: [SUSPENDED], channels: ["military"] }) { totalCount edges { node { id } } }
  }`);
  const agreedBefore2020 = records
    .filter((r) => r.track === '1' && (r.endDate ?? r.startDate) < '2020')
    .flatMap((r) => r.outcomes.filter((o: any) => o.status === 'agreed'));
  expect(agreedBefore2020.length).toBeGreaterThan(1);
  expect(nested.totalCount).toBe(agreedBefore2020.length);
  expect(nested.edges).toHaveLength(Math.min(100, agreedBefore2020.length));
  const suspendedMilitary = records.flatMap((r) => r.outcomes.filter((o: any) => o.status === 'suspended' && o.channel === 'military'));
  expect(suspendedMilitary.length).toBeGreaterThan(0);
  expect(plain.totalCount).toBe(suspendedMilitary.length);
});

test('outcomes: or, not, and the meeting they belong to', async () => {
  const { outcomes } = await t.client.data(`{
    outcomes(first: 100, filter: {
      or: [{ statuses: [SUSPENDED] }, { statuses: [DECLINED] }],
      not: [{ channels: ["climate"] }],
      meeting: { tracks: [TRACK_1] }
    }) { totalCount edges { node { status channel { slug } meeting { track } } } }
  }`);
  const expected = records
    .filter((r) => r.track === '1')
    .flatMap((r) => r.outcomes.filter((o: any) => ['suspended', 'declined'].includes(o.status) && o.channel !== 'climate'));
  expect(expected.length).toBeGreaterThan(1);
  expect(outcomes.totalCount).toBe(expected.length);
});

test('errors inside composed filters name their path', async () => {
  const result = await t.client.query('{ meetings(filter: { or: [{ channels: ["ai"] }, { from: "soon" }] }) { totalCount } }');
  expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.or[1].from' });
  const nested = await t.client.query('{ meetings(filter: { outcomes: { channels: ["nope"] } }) { totalCount } }');
  expect(nested.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.outcomes.channels' });
});

test('2023 military commitments and the later meetings that implemented them', async () => {
  const { meetings } = await t.client.data(`{
    meetings(filter: { channels: ["military"], from: "2023", to: "2023" }) {
      edges { node { slug related { relation direction meeting { slug startDate } } } }
    }
  }`);
  const implementers = meetings.edges.flatMap((e: any) =>
    e.node.related.filter((l: any) => l.relation === 'IMPLEMENTS_OUTCOME_OF' && l.direction === 'INCOMING').map((l: any) => l.meeting.slug),
  );
  const expected = records
    .filter((r) =>
      r.related.some(
        (l: any) => l.relation === 'implements_outcome_of' && ids((x) => has(x, 'military') && year(x, '2023')).includes(l.id),
      ),
    )
    .map((r) => r.id);
  expect(expected.length).toBeGreaterThan(0);
  expect([...new Set(implementers)].sort()).toEqual([...new Set(expected)].sort());
});

describe('fulfilment of planned outcomes', () => {
  test('a planned outcome links to the later meeting that carried it out', async () => {
    // SED V (July 2013) planned a notification mechanism; the record's note and the Beijing
    // summit of November 2014 (implements_outcome_of) say it was realised there.
    const { meeting } = await t.client.data(
      '{ meeting(slug: "2013-07-10-sed-v") { outcomes(channel: "military") { status fulfilledBy { slug } } } }',
    );
    expect(meeting.outcomes[0].status).toBe('PLANNED');
    expect(meeting.outcomes[0].fulfilledBy.map((m: any) => m.slug)).toContain('2014-11-11-obama-beijing');
  });

  test('fulfilled: false finds plans with nothing after them, and fulfilled: true the others', async () => {
    const { open, done, all } = await t.client.data(`{
      open: outcomes(first: 100, filter: { statuses: [PLANNED], fulfilled: false }) { totalCount edges { node { fulfilledBy { slug } } } }
      done: outcomes(first: 100, filter: { statuses: [PLANNED], fulfilled: true }) { totalCount edges { node { fulfilledBy { slug } } } }
      all: outcomes(first: 100, filter: { statuses: [PLANNED] }) { totalCount }
    }`);
    expect(open.totalCount).toBeGreaterThan(0);
    expect(done.totalCount).toBeGreaterThan(0);
    expect(open.totalCount + done.totalCount).toBe(all.totalCount);
    expect(open.edges.every((e: any) => e.node.fulfilledBy.length === 0)).toBe(true);
    expect(done.edges.every((e: any) => e.node.fulfilledBy.length > 0)).toBe(true);
  });
});

describe('fulfilment cited by an outcome note', () => {
  // Its own database: the seed's notes cite dates, never record ids, so fixtures supply the case.
  let db: TestDatabase;
  let client: TestClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    const earlier = fixtureRecord({
      id: '2030-01-02-fixture-earlier',
      title: 'Fixture earlier talks',
      startDate: '2030-01-02',
      endDate: null,
    });
    const planning = fixtureRecord({
      id: '2030-01-15-fixture-talks',
      outcomes: [
        {
          channel: 'crisis_communication',
          description: 'Fixture: hotline planned.',
          status: 'planned',
          note: 'Builds on 2030-01-02-fixture-earlier; set up at 2030-03-10-fixture-later.',
        },
      ] as never,
    });
    const later = fixtureRecord({ id: '2030-03-10-fixture-later', title: 'Fixture later talks', startDate: '2030-03-10', endDate: null });
    const report = await importEngagements(db.prisma, toJsonl([earlier, planning, later]));
    expect(report.errors).toEqual([]);
    client = await createTestClient(db);
  });
  afterAll(async () => {
    await client.stop();
    await db.drop();
  });

  test('a later meeting the note names fulfils the outcome; an earlier one it names does not', async () => {
    const { meeting } = await client.data('{ meeting(slug: "2030-01-15-fixture-talks") { outcomes { fulfilledBy { slug } } } }');
    expect(meeting.outcomes[0].fulfilledBy.map((m: any) => m.slug)).toEqual(['2030-03-10-fixture-later']);
  });
});
