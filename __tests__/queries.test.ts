/**
 * The public contract (API.md), query by query, against the bundled real data. Expected values
 * are read from the data file itself, not restated by hand, except where a test pins a fact the
 * seed articles state.
 */
import { readFileSync } from 'node:fs';
import { SEED_FILE } from '../src/paths';
import { afterArg, allNodes, useSeededClient } from './helpers/graphql';

const records: any[] = readFileSync(SEED_FILE, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const bySlug = new Map(records.map((r) => [r.id, r]));

const t = useSeededClient();

const slugsOf = (data: any) => data.edges.map((e: any) => e.node.slug);

describe('meeting', () => {
  test('by slug returns the whole record', async () => {
    const { meeting } = await t.client.data(`{
      meeting(slug: "2024-06-13-track15-2") {
        slug title kind track mode startDate endDate datePrecision city country countryCode venue uncertain uncertaintyNotes
        channels { slug } hosts { name slug }
        outcomes { description status note channel { slug } meeting { slug } }
        participants { person { name slug } delegation headcount role side note organization { name } }
        sources { publisher title url publishedDate note }
      }
    }`);
    const record = bySlug.get('2024-06-13-track15-2');
    expect(meeting).toMatchObject({
      slug: record.id,
      title: record.title,
      kind: 'TRACK_1_5_DIALOGUE',
      track: 'TRACK_1_5',
      mode: 'IN_PERSON',
      startDate: '2024-06-13',
      datePrecision: 'DAY',
      city: 'Beijing',
      countryCode: 'CN',
    });
    expect(meeting.channels.map((c: any) => c.slug)).toEqual(record.channels);
    expect(meeting.hosts.map((h: any) => h.name)).toEqual(record.hosts);
    expect(meeting.outcomes.map((o: any) => [o.channel.slug, o.status.toLowerCase(), o.description])).toEqual(
      record.outcomes.map((o: any) => [o.channel, o.status, o.description]),
    );
    expect(meeting.outcomes.every((o: any) => o.meeting.slug === record.id)).toBe(true);
    expect(meeting.sources.map((s: any) => s.publisher)).toEqual(record.sources.map((s: any) => s.publisher));
    // The articles report a delegation of about 30 people.
    expect(meeting.participants.some((p: any) => p.person === null && p.headcount === 30)).toBe(true);
  });

  test('by global id, and null for unknown ids and slugs without an error', async () => {
    const { meeting } = await t.client.data('{ meeting(slug: "2013-06-07-sunnylands-summit") { id } }');
    const result = await t.client.query(`{
      byId: meeting(id: "${meeting.id}") { slug }
      missing: meeting(slug: "1900-01-01-nothing") { slug }
      garbage: meeting(id: "not-an-id") { slug }
      wrongType: meeting(id: "${Buffer.from('Person:1').toString('base64url')}") { slug }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ byId: { slug: '2013-06-07-sunnylands-summit' }, missing: null, garbage: null, wrongType: null });
  });

  test('month-precision dates come back as YYYY-MM', async () => {
    const { meeting } = await t.client.data('{ meeting(slug: "2013-06-pcac-5") { startDate endDate datePrecision } }');
    expect(meeting).toEqual({ startDate: '2013-06', endDate: '2013-06', datePrecision: 'MONTH' });
  });

  test('related meetings are listed in both directions', async () => {
    const from = records.find((r) => r.related.length > 0)!;
    const link = from.related[0];
    const data = await t.client.data(`{
      from: meeting(slug: "${from.id}") { related { relation direction meeting { slug } } }
      to: meeting(slug: "${link.id}") { related { relation direction meeting { slug } } }
    }`);
    const relation = link.relation.toUpperCase();
    expect(data.from.related).toContainEqual({ relation, direction: 'OUTGOING', meeting: { slug: link.id } });
    expect(data.to.related).toContainEqual({ relation, direction: 'INCOMING', meeting: { slug: from.id } });
  });

  test('meetings of one trip share its key', async () => {
    const trip = records.find((r) => r.parent)!.parent;
    const nodes = await allNodes(
      t.client,
      (after) => `{ meetings(first: 100${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { slug trip } } } }`,
      (data) => data.meetings,
    );
    const onTrip = nodes
      .filter((node: any) => node.trip === trip)
      .map((node: any) => node.slug)
      .sort();
    expect(onTrip).toEqual(
      records
        .filter((r) => r.parent === trip)
        .map((r) => r.id)
        .sort(),
    );
  });

  test('Meeting.outcomes filters by status and channel', async () => {
    const { meeting } = await t.client.data(`{
      meeting(slug: "2024-08-27-sullivan-wang") {
        planned: outcomes(status: [PLANNED]) { status }
        military: outcomes(channel: "military") { channel { slug } }
        both: outcomes(status: [PLANNED, AGREED], channel: "military") { status channel { slug } }
      }
    }`);
    const record = bySlug.get('2024-08-27-sullivan-wang');
    expect(meeting.planned).toHaveLength(record.outcomes.filter((o: any) => o.status === 'planned').length);
    expect(meeting.planned.length).toBeGreaterThan(0);
    expect(meeting.military).toHaveLength(record.outcomes.filter((o: any) => o.channel === 'military').length);
    expect(meeting.both).toEqual(
      record.outcomes
        .filter((o: any) => o.channel === 'military' && ['planned', 'agreed'].includes(o.status))
        .map((o: any) => ({ status: o.status.toUpperCase(), channel: { slug: 'military' } })),
    );
  });
});

describe('meetings filters', () => {
  const expectSlugs = async (filter: string, expected: string[]) => {
    // A filter that matches nothing (or everything) would prove little.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(records.length);
    const { meetings } = await t.client.data(`{ meetings(first: 1, filter: ${filter}) { totalCount } }`);
    const nodes = await allNodes(
      t.client,
      (after) =>
        `{ meetings(first: 100, filter: ${filter}${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
      (data) => data.meetings,
    );
    expect(nodes.map((node: any) => node.slug).sort()).toEqual([...expected].sort());
    expect(meetings.totalCount).toBe(expected.length);
  };
  const ids = (predicate: (r: any) => boolean) => records.filter(predicate).map((r) => r.id);
  // Overlap of the record's period with [from, to], months covering their whole month.
  const overlaps = (r: any, from: string, to: string) => {
    const end = r.endDate ?? r.startDate;
    const periodEnd = r.datePrecision === 'month' ? `${end}-31` : end;
    const start = r.datePrecision === 'month' ? `${r.startDate}-01` : r.startDate;
    return periodEnd >= from && start <= to;
  };

  test('channels: meetings touching any of them', () =>
    expectSlugs(
      '{ channels: ["counternarcotics", "ai"] }',
      ids((r) => r.channels.includes('counternarcotics') || r.channels.includes('ai')),
    ));
  test('tracks', () =>
    expectSlugs(
      '{ tracks: [TRACK_1_5, TRACK_2] }',
      ids((r) => r.track !== '1'),
    ));
  test('kinds', () =>
    expectSlugs(
      '{ kinds: [LEADER_CALL, SUMMIT] }',
      ids((r) => ['leader_call', 'summit'].includes(r.kind)),
    ));
  test('from/to include month-precision meetings that overlap the range', async () => {
    await expectSlugs(
      '{ from: "2023-10-15", to: "2023-10-20" }',
      ids((r) => overlaps(r, '2023-10-15', '2023-10-20')),
    );
    expect(ids((r) => overlaps(r, '2023-10-15', '2023-10-20'))).toContain('2023-10-track15-1');
  });
  test('from/to accept whole years', () =>
    expectSlugs(
      '{ from: "2023", to: "2023" }',
      ids((r) => overlaps(r, '2023-01-01', '2023-12-31')),
    ));
  test('countryCode', () =>
    expectSlugs(
      '{ countryCode: "CN" }',
      ids((r) => r.countryCode === 'CN'),
    ));
  test('participant (a person slug)', () =>
    expectSlugs(
      '{ participant: "antony-blinken" }',
      ids((r) => r.participants.some((p: any) => p.name === 'Antony Blinken')),
    ));
  test('host (an organisation slug)', () =>
    expectSlugs(
      '{ host: "united-states-institute-of-peace" }',
      ids((r) => r.hosts.includes('United States Institute of Peace')),
    ));
  test('outcomeStatus', () =>
    expectSlugs(
      '{ outcomeStatus: [SUSPENDED] }',
      ids((r) => r.outcomes.some((o: any) => o.status === 'suspended')),
    ));
  test('uncertain', () =>
    expectSlugs(
      '{ uncertain: true }',
      ids((r) => r.uncertain),
    ));
  test('conditions combine with AND', () =>
    expectSlugs(
      '{ channels: ["military"], outcomeStatus: [IMPLEMENTED], from: "2023" }',
      ids(
        (r) =>
          r.channels.includes('military') &&
          r.outcomes.some((o: any) => o.status === 'implemented') &&
          overlaps(r, '2023-01-01', '9999-12-31'),
      ),
    ));
  test('an unknown channel is an error naming the argument', async () => {
    const result = await t.client.query('{ meetings(filter: { channels: ["militray"] }) { totalCount } }');
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.channels' });
    expect(result.errors?.[0].message).toMatch(/unknown channel "militray"/);
  });
  test('a malformed date is an error naming the argument', async () => {
    const result = await t.client.query('{ meetings(filter: { from: "June 2023" }) { totalCount } }');
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.from' });
  });
});

describe('ordering', () => {
  test('default is newest first; START_DATE_ASC is its exact reverse; TITLE_ASC sorts by title', async () => {
    // Every page of each order: the data set holds more meetings than one page.
    const every = (order: string, fields: string) =>
      allNodes(
        t.client,
        (after) => `{ meetings(first: 100${order}${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { ${fields} } } } }`,
        (d) => d.meetings,
      ).then((nodes) => ({ edges: nodes.map((node) => ({ node })) }));
    const data = {
      newest: await every('', 'slug startDate'),
      oldest: await every(', orderBy: [START_DATE_ASC]', 'slug'),
      byTitle: await every(', orderBy: [TITLE_ASC]', 'title'),
    };
    // A month-precision date sorts as the first of its month.
    const dates = data.newest.edges.map((e: any) => e.node.startDate.padEnd(10, '-01'));
    expect(dates).toEqual([...dates].sort().reverse());
    // Ties on the date are broken by id in the same direction, so one order reverses the other.
    expect(slugsOf(data.oldest)).toEqual([...slugsOf(data.newest)].reverse());
    // Titles follow the database's collation, which differs between servers.
    const sorted = await t.db.prisma.meeting.findMany({ orderBy: [{ title: 'asc' }, { id: 'asc' }], select: { title: true } });
    expect(data.byTitle.edges.map((e: any) => e.node.title)).toEqual(sorted.map((m) => m.title));
  });
});

describe('channels', () => {
  test('lists the twenty channels with names and descriptions', async () => {
    const { channels } = await t.client.data('{ channels { slug name description } }');
    expect(channels).toHaveLength(20);
    expect(channels.map((c: any) => c.slug)).toEqual(expect.arrayContaining(['military', 'climate', 'ai', 'counternarcotics']));
    expect(channels.every((c: any) => c.name && c.description)).toBe(true);
  });

  test('channel(slug) returns null for an unknown slug', async () => {
    expect(await t.client.data('{ channel(slug: "astrology") { slug } }')).toEqual({ channel: null });
  });

  test("a channel's meeting count, with and without filters, matches the data file", async () => {
    // Without a filter the count comes from the channel's links alone (a cheaper statement);
    // with one, or with filters that set nothing, it must still be the same meetings.
    for (const slug of ['military', 'climate', 'ai']) {
      const expected = records.filter((r) => r.channels.includes(slug));
      const { channel } = await t.client.data(`{ channel(slug: "${slug}") {
        all: meetings(first: 1) { totalCount }
        empty: meetings(first: 1, filter: { and: [], not: [] }) { totalCount }
        none: meetings(first: 1, filter: { or: [] }) { totalCount }
        track1: meetings(first: 1, filter: { tracks: [TRACK_1] }) { totalCount }
      } }`);
      expect(channel.all.totalCount).toBe(expected.length);
      expect(channel.empty.totalCount).toBe(expected.length);
      expect(channel.none.totalCount).toBe(0);
      expect(channel.track1.totalCount).toBe(expected.filter((r) => r.track === '1').length);
    }
  });

  test('channel → meetings → outcomes(status) → meeting, both ways round', async () => {
    const { channel } = await t.client.data(`{
      channel(slug: "military") {
        slug
        meetings(first: 100, filter: { from: "2023", to: "2023" }) {
          totalCount
          edges { node { slug outcomes(status: [IMPLEMENTED, AGREED], channel: "military") { status meeting { slug } channel { slug } } } }
        }
      }
    }`);
    const expected = records.filter((r) => r.channels.includes('military') && r.startDate.startsWith('2023'));
    expect(expected.length).toBeGreaterThan(1);
    expect(channel.meetings.totalCount).toBe(expected.length);
    for (const edge of channel.meetings.edges) {
      const record = bySlug.get(edge.node.slug);
      expect(edge.node.outcomes).toHaveLength(
        record.outcomes.filter((o: any) => o.channel === 'military' && ['implemented', 'agreed'].includes(o.status)).length,
      );
      for (const outcome of edge.node.outcomes) {
        expect(outcome.meeting.slug).toBe(edge.node.slug);
        expect(outcome.channel.slug).toBe('military');
      }
    }
  });

  test('Channel.outcomes filters by status', async () => {
    const { channel } = await t.client.data(
      '{ channel(slug: "counternarcotics") { outcomes(status: [IMPLEMENTED], first: 100) { totalCount edges { node { status meeting { slug } } } } } }',
    );
    const expected = records.flatMap((r) => r.outcomes.filter((o: any) => o.channel === 'counternarcotics' && o.status === 'implemented'));
    expect(expected.length).toBeGreaterThan(1);
    expect(channel.outcomes.totalCount).toBe(expected.length);
    expect(channel.outcomes.edges.every((e: any) => e.node.status === 'IMPLEMENTED')).toBe(true);
  });
});

describe('outcomes', () => {
  test('filter by channels, statuses and dates', async () => {
    const { outcomes } = await t.client.data(
      '{ outcomes(first: 100, filter: { channels: ["military"], statuses: [IMPLEMENTED, DECLINED], from: "2023", to: "2023" }) { totalCount edges { node { status channel { slug } meeting { startDate } } } } }',
    );
    const expected = records
      .filter((r) => r.startDate.startsWith('2023'))
      .flatMap((r) => r.outcomes.filter((o: any) => o.channel === 'military' && ['implemented', 'declined'].includes(o.status)));
    expect(expected.length).toBeGreaterThan(1);
    expect(outcomes.totalCount).toBe(expected.length);
    expect(outcomes.edges).toHaveLength(expected.length);
    for (const { node } of outcomes.edges) {
      expect(node.channel.slug).toBe('military');
      expect(node.meeting.startDate.startsWith('2023')).toBe(true);
    }
  });

  test('are ordered newest meeting first', async () => {
    const { outcomes } = await t.client.data('{ outcomes(first: 100) { edges { node { meeting { startDate } } } } }');
    const dates = outcomes.edges.map((e: any) => e.node.meeting.startDate.padEnd(10, '-01'));
    expect(dates).toEqual([...dates].sort().reverse());
  });
});

describe('people and organisations', () => {
  test('person by slug, with participations and their meetings', async () => {
    const { person } = await t.client.data(
      '{ person(slug: "antony-blinken") { id name slug participations { role side meeting { slug } organization { name } } } }',
    );
    const expected = records.filter((r) => r.participants.some((p: any) => p.name === 'Antony Blinken'));
    expect(person.name).toBe('Antony Blinken');
    expect(person.participations.map((p: any) => p.meeting.slug).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(person.participations.every((p: any) => p.side === 'US')).toBe(true);
    const { node } = await t.client.data(`{ node(id: "${person.id}") { __typename ... on Person { slug } } }`);
    expect(node).toEqual({ __typename: 'Person', slug: 'antony-blinken' });
  });

  test('people(search) matches part of a name, case-insensitively', async () => {
    const { people } = await t.client.data('{ people(search: "BLINK") { totalCount edges { node { name } } } }');
    expect(people.edges.map((e: any) => e.node.name)).toEqual(['Antony Blinken']);
  });

  test('organization by slug lists what it hosted', async () => {
    const { organization } = await t.client.data('{ organization(slug: "united-states-institute-of-peace") { name hosted { slug } } }');
    expect(organization.hosted.map((m: any) => m.slug).sort()).toEqual(
      records
        .filter((r) => r.hosts.includes('United States Institute of Peace'))
        .map((r) => r.id)
        .sort(),
    );
  });

  test('organizations(search) and unknown lookups', async () => {
    const data = await t.client.data(`{
      organizations(search: "institute", first: 100) { totalCount edges { node { name } } }
      missingPerson: person(slug: "nobody-at-all") { name }
      missingOrganization: organization(slug: "no-such-body") { name }
    }`);
    expect(data.organizations.totalCount).toBeGreaterThan(0);
    expect(data.organizations.edges.every((e: any) => /institute/i.test(e.node.name))).toBe(true);
    expect(data.missingPerson).toBeNull();
    expect(data.missingOrganization).toBeNull();
  });
});

describe('node', () => {
  test('resolves every node type from its id, and null for garbage', async () => {
    const ids = await t.client.data(`{
      meeting(slug: "2013-06-07-sunnylands-summit") { id outcomes { id } }
      channel(slug: "climate") { id }
      organization(slug: "the-white-house") { id }
    }`);
    const data = await t.client.data(`{
      m: node(id: "${ids.meeting.id}") { __typename id }
      o: node(id: "${ids.meeting.outcomes[0].id}") { __typename ... on Outcome { status } }
      c: node(id: "${ids.channel.id}") { __typename ... on Channel { slug } }
      g: node(id: "${ids.organization.id}") { __typename ... on Organization { slug } }
      x: node(id: "garbage") { id }
      y: node(id: "${Buffer.from('Meeting:999999').toString('base64url')}") { id }
    }`);
    expect(data).toEqual({
      m: { __typename: 'Meeting', id: ids.meeting.id },
      o: { __typename: 'Outcome', status: 'AGREED' },
      c: { __typename: 'Channel', slug: 'climate' },
      g: { __typename: 'Organization', slug: 'the-white-house' },
      x: null,
      y: null,
    });
  });
});

test('a lookup with neither id nor slug is an error naming the argument', async () => {
  const result = await t.client.query('{ meeting { slug } }');
  expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
});
