/**
 * Aggregates checked against counts computed independently from the data file, and the filter
 * compiler (src/modules/stats/filter.sql.ts, which lists, stats and search all use) checked
 * against an independent evaluation of MeetingFilter and OutcomeFilter over the same file
 * (helpers/filter-oracle.ts): the meetings and outcomes lists and the totals of stats must select
 * exactly the records the oracle selects.
 */
import { readFileSync } from 'node:fs';
import { SEED_FILE } from '../src/paths';
import { filterOracle, outcomeKey, type FilterOracle, type FulfilledBy } from './helpers/filter-oracle';
import { afterArg, allNodes, useSeededClient } from './helpers/graphql';

const records: any[] = readFileSync(SEED_FILE, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const outcomes = records.flatMap((r) => r.outcomes.map((o: any) => ({ ...o, record: r })));

const t = useSeededClient();

type Key = Record<string, string | number | null>;
const DIMENSION_FIELDS = 'channel { slug } status track kind side countryCode year month count';

/** Bucket → "k=v|…" so that results compare as plain maps. */
function keyed(buckets: any[]): Map<string, number> {
  return new Map(
    buckets.map((b) => {
      const { count, channel, ...rest } = b;
      const key = Object.entries({ ...rest, channel: channel?.slug ?? null })
        .filter(([, v]) => v !== null)
        .sort(([a], [c]) => a.localeCompare(c))
        .map(([k, v]) => `${k}=${v}`)
        .join('|');
      return [key, count];
    }),
  );
}

function countBy<T>(items: T[], keysOf: (item: T) => Key[], distinct: (item: T) => string): Map<string, number> {
  const sets = new Map<string, Set<string>>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const k = Object.entries(key)
        .filter(([, v]) => v !== null)
        .sort(([a], [c]) => a.localeCompare(c))
        .map(([name, v]) => `${name}=${v}`)
        .join('|');
      if (!sets.has(k)) sets.set(k, new Set());
      sets.get(k)!.add(distinct(item));
    }
  }
  return new Map([...sets].map(([k, s]) => [k, s.size]));
}

const TRACK: Record<string, string> = { '1': 'TRACK_1', '1.5': 'TRACK_1_5', '2': 'TRACK_2' };
const up = (s: string) => s.toUpperCase();
const month = (r: any) => r.startDate.slice(0, 7);
const year = (r: any) => Number(r.startDate.slice(0, 4));

async function statsFor(args: string) {
  const { stats } = await t.client.data(`{ stats(${args}) { ${DIMENSION_FIELDS} } }`);
  return keyed(stats);
}

test('outcomes by channel and status', async () => {
  expect(await statsFor('measure: OUTCOMES, groupBy: [CHANNEL, STATUS]')).toEqual(
    countBy(
      outcomes,
      (o) => [{ channel: o.channel, status: up(o.status) }],
      (o) => `${o.record.id}/${o.description}`,
    ),
  );
});

test('meetings per year per track', async () => {
  expect(await statsFor('groupBy: [YEAR, TRACK]')).toEqual(
    countBy(
      records,
      (r) => [{ year: year(r), track: TRACK[r.track] }],
      (r) => r.id,
    ),
  );
});

test('meetings by channel: a meeting counts once in each of its channels', async () => {
  expect(await statsFor('groupBy: [CHANNEL]')).toEqual(
    countBy(
      records,
      (r) => r.channels.map((c: string) => ({ channel: c })),
      (r) => r.id,
    ),
  );
});

test('meetings by kind, country and month', async () => {
  expect(await statsFor('groupBy: [KIND]')).toEqual(
    countBy(
      records,
      (r) => [{ kind: up(r.kind) }],
      (r) => r.id,
    ),
  );
  expect(await statsFor('groupBy: [COUNTRY]')).toEqual(
    countBy(
      records,
      (r) => [{ countryCode: r.countryCode }],
      (r) => r.id,
    ),
  );
  expect(await statsFor('groupBy: [MONTH]')).toEqual(
    countBy(
      records,
      (r) => [{ month: month(r) }],
      (r) => r.id,
    ),
  );
});

test('meetings by side of their participants', async () => {
  expect(await statsFor('groupBy: [SIDE]')).toEqual(
    countBy(
      records,
      (r) => [...new Set(r.participants.map((p: any) => up(p.side)))].map((side) => ({ side: side as string })),
      (r) => r.id,
    ),
  );
});

test('meetings by outcome status, under a meeting filter and an outcome filter', async () => {
  const inScope = (r: any) => r.channels.includes('military');
  expect(await statsFor('groupBy: [STATUS], filter: { channels: ["military"] }, outcomeFilter: { channels: ["military"] }')).toEqual(
    countBy(
      records.filter(inScope),
      (r) =>
        [...new Set(r.outcomes.filter((o: any) => o.channel === 'military').map((o: any) => up(o.status)))].map((s) => ({
          status: s as string,
        })),
      (r) => r.id,
    ),
  );
});

test('a total without grouping', async () => {
  const { stats } = await t.client.data('{ stats(groupBy: []) { count } all: stats(groupBy: [], measure: OUTCOMES) { count } }');
  expect(stats).toEqual([{ count: records.length }]);
});

test('each aggregate is a single SQL statement', async () => {
  t.db.statements.length = 0;
  await t.client.data(
    '{ stats(measure: OUTCOMES, groupBy: [STATUS, YEAR, TRACK, KIND, COUNTRY, MONTH, SIDE], filter: { tracks: [TRACK_1] }) { count } }',
  );
  expect(t.db.statements.length).toBe(1);
});

describe('filters select what an independent evaluation of the data file selects', () => {
  // What fulfilledBy reports for each outcome: the oracle takes fulfilment as given (it is derived
  // by the importer, and checked elsewhere), so that `fulfilled:` checks only the filter.
  let oracle: FilterOracle;
  beforeAll(async () => {
    const nodes = await allNodes(
      t.client,
      (after) =>
        `{ meetings(first: 100${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { slug outcomes { description fulfilledBy { slug } } } } } }`,
      (data) => data.meetings,
    );
    expect(nodes).toHaveLength(records.length);
    const fulfilledBy: FulfilledBy = new Map();
    for (const node of nodes) {
      for (const o of node.outcomes)
        fulfilledBy.set(
          outcomeKey(node.slug, o.description),
          o.fulfilledBy.map((m: any) => m.slug),
        );
    }
    expect(fulfilledBy.size).toBe(outcomes.length);
    oracle = filterOracle(records, fulfilledBy);
  });

  test('the oracle itself, on cases checked by hand', () => {
    // A month-precision meeting spans its month: the USIP dialogues of "June 2013" overlap 30 June.
    expect(oracle.meetings('{ from: "2013-06-30", to: "2013-06-30" }')).toEqual(new Set(['2013-06-pcac-5', '2013-06-r2cp-2']));
    expect(oracle.meetings('{ from: "2021-09-30", to: "2021-09-30" }')).toEqual(new Set(['2021-09-dpct-video']));
    // Woodside states follow_up_of Blinken's visit and reverses the 2022 countermeasures.
    expect(oracle.meetings('{ relatedTo: { slug: "2023-11-15-woodside", direction: INCOMING } }')).toEqual(
      new Set(['2023-06-18-blinken-beijing', '2022-08-05-prc-countermeasures']),
    );
    expect(oracle.meetings('{ relatedTo: { slug: "2023-11-15-woodside", direction: OUTGOING } }')).toEqual(
      new Set(records.filter((r) => r.related.some((l: any) => l.id === '2023-11-15-woodside')).map((r) => r.id)),
    );
    // The August 2024 readouts differ: only the Chinese one announced a second round of AI talks.
    expect(
      oracle.outcomes('{ channels: ["ai"], sideClaims: ONE_SIDE, assertedBy: [CN], meeting: { participant: "jake-sullivan" } }'),
    ).toEqual(
      new Set([
        outcomeKey(
          '2024-08-27-sullivan-wang',
          records.find((r) => r.id === '2024-08-27-sullivan-wang').outcomes.find((o: any) => o.channel === 'ai').description,
        ),
      ]),
    );
    // Wang Yi represented the CPC Central Committee at Blinken's 2023 visit, where someone else
    // represented the Foreign Ministry: the two conditions must hold for the same participant.
    const wangYiForMfa = oracle.meetings(
      '{ participation: { person: "wang-yi", organization: "ministry-of-foreign-affairs-of-the-prc" } }',
    );
    expect(wangYiForMfa.has('2023-11-15-woodside')).toBe(true);
    expect(wangYiForMfa.has('2023-06-18-blinken-beijing')).toBe(false);
  });

  const meetingFilters = [
    '{ channels: ["military", "ai"] }',
    '{ tracks: [TRACK_1_5], from: "2023-10-15", to: "2024-06" }',
    '{ kinds: [LEADER_CALL], modes: [PHONE, VIDEO] }',
    '{ countryCode: "cn", uncertain: false }',
    '{ participant: "antony-blinken", host: "u-s-department-of-state" }',
    '{ outcomeStatus: [SUSPENDED, DECLINED] }',
    '{ outcomes: { channels: ["climate"], statuses: [AGREED], fulfilled: true } }',
    '{ participation: { side: OTHER } }',
    '{ participation: { person: "xi-jinping", side: CN } }',
    '{ relatedTo: { slug: "2023-11-15-woodside", relations: [IMPLEMENTS_OUTCOME_OF] } }',
    '{ relatedTo: { slug: "2023-11-15-woodside", direction: OUTGOING } }',
    '{ or: [{ channels: ["cyber"] }, { and: [{ tracks: [TRACK_2] }, { not: [{ from: "2025" }] }] }] }',
    '{ not: [{ channels: ["military"] }, { channels: ["climate"] }] }',
    '{ kinds: [MILITARY_TALKS, TRACK_1_5_DIALOGUE] }',
    '{ modes: [VIDEO, STATEMENT] }',
    '{ to: "2013-06" }',
    '{ from: "2021-09-30", to: "2021-09" }',
    '{ from: "2013-06-30", to: "2013-07-10" }',
    '{ outcomes: { from: "2024", to: "2024-06", statuses: [AGREED, IMPLEMENTED], meeting: { modes: [IN_PERSON] } } }',
    '{ outcomes: { channels: ["climate"], not: [{ statuses: [AGREED] }] } }',
    '{ or: [{ not: [{ tracks: [TRACK_1] }] }, { kinds: [LEADER_CALL] }] }',
    '{ or: [{ not: [{ from: "2014" }, { channels: ["climate"] }] }, { and: [{ countryCode: "US" }, { not: [{ kinds: [SUMMIT] }] }] }] }',
    '{ relatedTo: { slug: "2023-11-15-woodside", direction: INCOMING } }',
    '{ relatedTo: { slug: "2023-11-15-woodside", relations: [FOLLOW_UP_OF, REVERSES] } }',
    '{ participation: { organization: "the-white-house-nsc", side: US } }',
    '{ participation: { person: "wang-yi", organization: "ministry-of-foreign-affairs-of-the-prc" } }',
  ];
  test.each(meetingFilters)('meetings %s', async (filter) => {
    const expected = oracle.meetings(filter);
    expect(expected.size).toBeGreaterThan(0);
    expect(expected.size).toBeLessThan(records.length);
    const data = await t.client.data(
      `{ meetings(filter: ${filter}, first: 1) { totalCount } stats(groupBy: [], filter: ${filter}) { count } }`,
    );
    const nodes = await allNodes(
      t.client,
      (after) =>
        `{ meetings(filter: ${filter}, first: 100${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
      (d) => d.meetings,
    );
    expect(new Set(nodes.map((n: any) => n.slug))).toEqual(expected);
    expect(nodes).toHaveLength(expected.size);
    expect(data.meetings.totalCount).toBe(expected.size);
    expect(data.stats).toEqual([{ count: expected.size }]);
  });

  const outcomeFilters = [
    '{ statuses: [PLANNED, DECLINED] }',
    '{ channels: ["military", "ai"] }',
    '{ fulfilled: false, statuses: [PLANNED, AGREED] }',
    '{ meeting: { tracks: [TRACK_1_5, TRACK_2] } }',
    '{ from: "2013-07-11", to: "2023-10", fulfilled: true }',
    // Provenance (issue 13): what only one side's readout claims, and by whom.
    '{ sideClaims: ONE_SIDE }',
    '{ sideClaims: BOTH_SIDES }',
    '{ sideClaims: NEITHER_SIDE, channels: ["military", "climate"] }',
    '{ assertedBy: [CN], not: [{ assertedBy: [US, JOINT] }] }',
    '{ assertedBy: [JOINT, THIRD_PARTY], meeting: { from: "2020" } }',
    '{ or: [{ sideClaims: ONE_SIDE, assertedBy: [US] }, { statuses: [DECLINED] }] }',
  ];
  test.each(outcomeFilters)('outcomes %s', async (filter) => {
    const expected = oracle.outcomes(filter);
    expect(expected.size).toBeGreaterThan(0);
    expect(expected.size).toBeLessThan(outcomes.length);
    const data = await t.client.data(
      `{ outcomes(filter: ${filter}, first: 1) { totalCount } stats(groupBy: [], measure: OUTCOMES, outcomeFilter: ${filter}) { count } }`,
    );
    const nodes = await allNodes(
      t.client,
      (after) =>
        `{ outcomes(filter: ${filter}, first: 100${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { description meeting { slug } } } } }`,
      (d) => d.outcomes,
    );
    expect(new Set(nodes.map((n: any) => outcomeKey(n.meeting.slug, n.description)))).toEqual(expected);
    expect(nodes).toHaveLength(expected.size);
    expect(data.outcomes.totalCount).toBe(expected.size);
    expect(data.stats).toEqual([{ count: expected.size }]);
  });
});

test('timelines mark suspensions and resumptions in date order', async () => {
  const { timelines } = await t.client.data(
    '{ timelines(channels: ["military", "climate"]) { channel { slug } events { date status phase meeting { slug } } } }',
  );
  expect(timelines.map((t: any) => t.channel.slug)).toEqual(['military', 'climate']);
  for (const timeline of timelines) {
    const expected = outcomes.filter((o) => o.channel === timeline.channel.slug);
    expect(timeline.events).toHaveLength(expected.length);
    const dates = timeline.events.map((e: any) => e.date.padEnd(10, '-01'));
    expect(dates).toEqual([...dates].sort());
  }
  const military = timelines[0].events;
  const phaseAt = (slug: string) => military.find((e: any) => e.meeting.slug === slug).phase;
  expect(military[0].phase).toBe('ACTIVE');
  // August 2022: China suspended the military talks. In November 2022 Austin and Wei agreed at
  // Siem Reap to keep military communication open: the channel's first agreement since, so it
  // resumed there; the refusals of 2023 (Shangri-La, Blinken's request in Beijing) change no phase.
  expect(phaseAt('2022-08-05-prc-countermeasures')).toBe('SUSPENDED');
  expect(phaseAt('2022-11-22-austin-wei-siem-reap')).toBe('RESUMED');
  expect(phaseAt('2023-06-18-blinken-beijing')).toBe('ACTIVE');
  expect(phaseAt('2023-11-15-woodside')).toBe('ACTIVE');
  expect(phaseAt('2023-12-21-brown-liu-vtc')).toBe('ACTIVE');
});
