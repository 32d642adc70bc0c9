#!/usr/bin/env node
/**
 * The four scenarios of issue 5, each as a GraphQL operation against this service and as ONE
 * hand-written SQL statement that returns the same response body (`{"data": ...}`) as JSON
 * text, built entirely inside PostgreSQL. `sameData` checks that two bodies carry the same data.
 *
 *   node bench/scenarios.mjs --size 1000      # starts the three systems on bench_1000 and checks all four
 *
 * Neither side selects global ids or cursors (opaque encodings of row ids); every list has a
 * total order in both (meetings: start_date DESC, id DESC; search: score DESC, kind, id; stats:
 * channel id, year; children: their record position), so bodies are compared in order.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

/** "YYYY-MM-DD", or "YYYY-MM" for month precision: as the service formats dates. */
const partialDate = (column, m = 'm') =>
  `to_char(${column}, CASE WHEN ${m}.date_precision = 'MONTH' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END)`;
const jsonList = (expr, order, from) => `(SELECT coalesce(json_agg(${expr} ORDER BY ${order}), '[]'::json) ${from})`;

// ---------------------------------------------------------------------------------------------
// (1) Dashboard page: the 20 newest meetings with channels, outcomes, participants (person,
// organisation), hosts and sources.
const DASHBOARD_GQL = /* GraphQL */ `
  query Dashboard($first: Int!) {
    meetings(first: $first) {
      totalCount
      edges {
        node {
          slug title startDate endDate datePrecision kind track mode city countryCode uncertain
          channels { slug name }
          outcomes { channel { slug } status description note }
          participants { person { slug name } organization { slug name } role side delegation headcount }
          hosts { slug name }
          sources { publisher title url publishedDate }
        }
      }
    }
  }`;

const meetingDetail = `json_build_object(
    'slug', m.slug, 'title', m.title,
    'startDate', ${partialDate('m.start_date')}, 'endDate', ${partialDate('m.end_date')},
    'datePrecision', m.date_precision, 'kind', m.kind, 'track', m.track, 'mode', m.mode,
    'city', m.city, 'countryCode', m.country_code, 'uncertain', m.uncertain,
    'channels', ${jsonList(`json_build_object('slug', c.slug, 'name', c.name)`, 'mc.position',
      'FROM meeting_channel mc JOIN channel c ON c.id = mc.channel_id WHERE mc.meeting_id = m.id')},
    'outcomes', ${jsonList(
      `json_build_object('channel', json_build_object('slug', c.slug), 'status', o.status, 'description', o.description, 'note', o.note)`,
      'o.position', 'FROM outcome o JOIN channel c ON c.id = o.channel_id WHERE o.meeting_id = m.id')},
    'participants', ${jsonList(
      `json_build_object(
        'person', CASE WHEN pe.id IS NULL THEN NULL ELSE json_build_object('slug', pe.slug, 'name', pe.name) END,
        'organization', CASE WHEN org.id IS NULL THEN NULL ELSE json_build_object('slug', org.slug, 'name', org.name) END,
        'role', p.role, 'side', p.side, 'delegation', p.delegation, 'headcount', p.headcount)`,
      'p.position',
      `FROM participation p LEFT JOIN person pe ON pe.id = p.person_id
         LEFT JOIN organization org ON org.id = p.organization_id WHERE p.meeting_id = m.id`)},
    'hosts', ${jsonList(`json_build_object('slug', org.slug, 'name', org.name)`, 'h.position',
      'FROM host h JOIN organization org ON org.id = h.organization_id WHERE h.meeting_id = m.id')},
    'sources', ${jsonList(
      `json_build_object('publisher', s.publisher, 'title', s.title, 'url', s.url, 'publishedDate', s.published_date)`,
      's.position', 'FROM source s WHERE s.meeting_id = m.id')})`;

const DASHBOARD_SQL = `
  WITH page AS (SELECT * FROM meeting ORDER BY start_date DESC, id DESC LIMIT $1)
  SELECT json_build_object('data', json_build_object('meetings', json_build_object(
    'totalCount', (SELECT count(*)::int FROM meeting),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', ${meetingDetail}) ORDER BY m.start_date DESC, m.id DESC), '[]'::json)
              FROM page m))))::text AS body`;

// ---------------------------------------------------------------------------------------------
// (2) A channel's meetings, first 50, each with its outcomes narrowed by status.
const CHANNEL_GQL = /* GraphQL */ `
  query ChannelPage($channel: String!, $first: Int!, $status: [OutcomeStatus!]) {
    channel(slug: $channel) {
      slug name
      meetings(first: $first) {
        totalCount
        edges {
          node {
            slug title startDate kind
            outcomes(status: $status) { channel { slug } status description note }
          }
        }
      }
    }
  }`;

const CHANNEL_SQL = `
  WITH ch AS (SELECT * FROM channel WHERE slug = $1),
  page AS (
    SELECT m.* FROM meeting m JOIN meeting_channel mc ON mc.meeting_id = m.id AND mc.channel_id = (SELECT id FROM ch)
    ORDER BY m.start_date DESC, m.id DESC LIMIT $2)
  SELECT json_build_object('data', json_build_object('channel', (
    SELECT json_build_object('slug', ch.slug, 'name', ch.name, 'meetings', json_build_object(
      'totalCount', (SELECT count(*)::int FROM meeting_channel mc WHERE mc.channel_id = ch.id),
      'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
          'slug', m.slug, 'title', m.title, 'startDate', ${partialDate('m.start_date')}, 'kind', m.kind,
          'outcomes', ${jsonList(
            `json_build_object('channel', json_build_object('slug', c.slug), 'status', o.status, 'description', o.description, 'note', o.note)`,
            'o.position',
            `FROM outcome o JOIN channel c ON c.id = o.channel_id
               WHERE o.meeting_id = m.id AND o.status::text = ANY($3::text[])`)}))
          ORDER BY m.start_date DESC, m.id DESC), '[]'::json) FROM page m)))
    FROM ch)))::text AS body`;

// ---------------------------------------------------------------------------------------------
// (3) A filtered and searched list: meetings on a track within a date range that match a
// full-text query, ranked (the service's `search` with kinds: [MEETING] and a MeetingFilter).
// The ranking document must be the service's (search.service.ts), participants, hosts and
// source titles included, or the hits and scores would differ; the filter is applied first.
const SEARCH_GQL = /* GraphQL */ `
  query Search($query: String!, $tracks: [Track!], $from: String, $to: String, $first: Int!) {
    search(query: $query, kinds: [MEETING], filter: { tracks: $tracks, from: $from, to: $to }, first: $first) {
      totalCount
      edges {
        node {
          kind score snippet
          node { ... on Meeting { slug title startDate track } }
        }
      }
    }
  }`;

const HEADLINE = 'StartSel=<b>, StopSel=</b>, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "';
// The stored, GIN-indexed document (meeting.search_vector, kept by the service's write path) and
// the same related text for snippets (meeting_search_related_text), as the service uses: the raw
// statement is the best one SQL statement can do on this schema, not a strawman.
const SEARCH_SQL = `
  WITH q AS (SELECT websearch_to_tsquery('english', $1) AS tsq),
  hits AS (
    SELECT m.id, m.slug, m.title, m.start_date, m.date_precision, m.track,
           round(ts_rank_cd(m.search_vector, q.tsq, 32)::numeric, 6)::float8 AS score
    FROM meeting m CROSS JOIN q
    WHERE m.search_vector @@ q.tsq
      AND m.track = ANY($2::"Track"[]) AND m.period_end >= $3::date AND m.start_date <= $4::date),
  page AS (SELECT * FROM hits ORDER BY score DESC, id ASC LIMIT $5)
  SELECT json_build_object('data', json_build_object('search', json_build_object(
    'totalCount', (SELECT count(*)::int FROM hits),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
        'kind', 'MEETING', 'score', h.score,
        'snippet', ts_headline('english', m.title || ' — ' || concat_ws(' ', m.summary, m.venue, m.city,
          meeting_search_related_text(m.id), m.uncertainty_notes), q.tsq, '${HEADLINE}'),
        'node', json_build_object('slug', h.slug, 'title', h.title, 'startDate', ${partialDate('h.start_date', 'h')}, 'track', h.track)))
        ORDER BY h.score DESC, h.id ASC), '[]'::json) FROM page h JOIN meeting m ON m.id = h.id CROSS JOIN q))))::text AS body`;

// ---------------------------------------------------------------------------------------------
// (4) An aggregate: meetings per channel per year.
const STATS_GQL = /* GraphQL */ `
  query Stats {
    stats(groupBy: [CHANNEL, YEAR]) { channel { slug name } year count }
  }`;

// (meeting_id, channel_id) is the key of meeting_channel, so count(*) counts distinct meetings.
const STATS_SQL = `
  SELECT json_build_object('data', json_build_object('stats', coalesce(json_agg(json_build_object(
      'channel', json_build_object('slug', c.slug, 'name', c.name), 'year', g.year, 'count', g.count)
      ORDER BY g.channel_id, g.year), '[]'::json)))::text AS body
  FROM (
    SELECT mc.channel_id, EXTRACT(YEAR FROM m.start_date)::int AS year, count(*)::int AS count
    FROM meeting_channel mc JOIN meeting m ON m.id = mc.meeting_id
    GROUP BY 1, 2) g
  JOIN channel c ON c.id = g.channel_id`;

// ---------------------------------------------------------------------------------------------
// PostGraphile v5 (bench/postgraphile/server.mjs: amber preset + postgraphile-plugin-connection-filter)
// answers scenarios 1 and 2 with the schema it derives from the tables. Its shape differs from this
// service's (relations named after foreign keys, connections with `nodes`, an outcome's channel
// reached through its composite foreign key to meeting_channel, plain ISO dates), so each query has a
// normaliser that reshapes its `data` into the service's shape; the body check then compares that
// with the raw-SQL body like any other. The normalisers only rename, reshape, format dates by the
// meeting's datePrecision and sort two child lists by `position` — amber orders connections only
// by indexed columns, and meeting_channel.position and host.position are not indexed (their keys
// are (meeting_id, channel_id) and (meeting_id, organization_id)). Everything else, including
// every ordering and filter, is done by PostGraphile in PostgreSQL.
const PG_MEETING_ORDER = '[START_DATE_DESC, PRIMARY_KEY_DESC]';
const PG_OUTCOME_FIELDS = 'status description note meetingChannelByMeetingIdAndChannelId { channelByChannelId { slug } }';

const PG_DASHBOARD_GQL = /* GraphQL */ `
  query Dashboard($first: Int!) {
    allMeetings(first: $first, orderBy: ${PG_MEETING_ORDER}) {
      totalCount
      nodes {
        slug title startDate endDate datePrecision kind track mode city countryCode uncertain
        meetingChannelsByMeetingId { nodes { position channelByChannelId { slug name } } }
        outcomesByMeetingId(orderBy: POSITION_ASC) { nodes { ${PG_OUTCOME_FIELDS} } }
        participationsByMeetingId(orderBy: POSITION_ASC) {
          nodes { personByPersonId { slug name } organizationByOrganizationId { slug name } role side delegation headcount }
        }
        hostsByMeetingId { nodes { position organizationByOrganizationId { slug name } } }
        sourcesByMeetingId(orderBy: POSITION_ASC) { nodes { publisher title url publishedDate } }
      }
    }
  }`;

// The channel's meetings: meeting_channel cannot be ordered by its meeting's start_date without a
// plugin, so the meetings come from allMeetings filtered by "some meeting_channel of this channel"
// (the filter plugin's relation filter, an EXISTS in the WHERE clause), newest first by the
// (start_date DESC, id DESC) index. The status list is the filter plugin's `in`.
const PG_CHANNEL_GQL = /* GraphQL */ `
  query ChannelPage($channel: String!, $first: Int!, $status: [OutcomeStatus!]) {
    allChannels(condition: { slug: $channel }) { nodes { slug name } }
    allMeetings(
      first: $first
      orderBy: ${PG_MEETING_ORDER}
      filter: { meetingChannelsByMeetingId: { some: { channelByChannelId: { slug: { equalTo: $channel } } } } }
    ) {
      totalCount
      nodes {
        slug title startDate datePrecision kind
        outcomesByMeetingId(orderBy: POSITION_ASC, filter: { status: { in: $status } }) { nodes { ${PG_OUTCOME_FIELDS} } }
      }
    }
  }`;

/** PostGraphile returns dates as YYYY-MM-DD; the service shows month-precision dates as YYYY-MM. */
const pgDate = (value, precision) => (value && precision === 'MONTH' ? value.slice(0, 7) : value);
const byPosition = (nodes) => [...nodes].sort((a, b) => a.position - b.position);
const pgOutcome = (o) => ({ channel: { slug: o.meetingChannelByMeetingIdAndChannelId.channelByChannelId.slug }, status: o.status, description: o.description, note: o.note });

function pgDashboard(data) {
  return {
    meetings: {
      totalCount: data.allMeetings.totalCount,
      edges: data.allMeetings.nodes.map((m) => ({
        node: {
          slug: m.slug, title: m.title,
          startDate: pgDate(m.startDate, m.datePrecision), endDate: pgDate(m.endDate, m.datePrecision),
          datePrecision: m.datePrecision, kind: m.kind, track: m.track, mode: m.mode,
          city: m.city, countryCode: m.countryCode, uncertain: m.uncertain,
          channels: byPosition(m.meetingChannelsByMeetingId.nodes).map((mc) => mc.channelByChannelId),
          outcomes: m.outcomesByMeetingId.nodes.map(pgOutcome),
          participants: m.participationsByMeetingId.nodes.map((p) => ({
            person: p.personByPersonId, organization: p.organizationByOrganizationId,
            role: p.role, side: p.side, delegation: p.delegation, headcount: p.headcount,
          })),
          hosts: byPosition(m.hostsByMeetingId.nodes).map((h) => h.organizationByOrganizationId),
          sources: m.sourcesByMeetingId.nodes,
        },
      })),
    },
  };
}

function pgChannel(data) {
  const channel = data.allChannels.nodes[0];
  if (!channel) return { channel: null };
  return {
    channel: {
      slug: channel.slug, name: channel.name,
      meetings: {
        totalCount: data.allMeetings.totalCount,
        edges: data.allMeetings.nodes.map((m) => ({
          node: { slug: m.slug, title: m.title, startDate: pgDate(m.startDate, m.datePrecision), kind: m.kind, outcomes: m.outcomesByMeetingId.nodes.map(pgOutcome) },
        })),
      },
    },
  };
}

export const SCENARIOS = [
  {
    key: 'dashboard',
    title: '1. Dashboard page: 20 newest meetings with channels, outcomes, participants (person, organisation), hosts, sources',
    graphql: { query: DASHBOARD_GQL, variables: { first: 20 } },
    sql: DASHBOARD_SQL,
    params: [20],
    postgraphile: { graphql: { query: PG_DASHBOARD_GQL, variables: { first: 20 } }, normalise: pgDashboard },
  },
  {
    key: 'channel',
    title: '2. A channel\'s meetings (military, first 50) with outcomes filtered by status (AGREED, IMPLEMENTED)',
    graphql: { query: CHANNEL_GQL, variables: { channel: 'military', first: 50, status: ['AGREED', 'IMPLEMENTED'] } },
    sql: CHANNEL_SQL,
    params: ['military', 50, ['AGREED', 'IMPLEMENTED']],
    postgraphile: { graphql: { query: PG_CHANNEL_GQL, variables: { channel: 'military', first: 50, status: ['AGREED', 'IMPLEMENTED'] } }, normalise: pgChannel },
  },
  {
    key: 'search',
    title: '3. Filtered and searched list: `search("fentanyl OR hotline", kinds: [MEETING])` on track 1, 2103–2110, first 20, with snippets',
    graphql: { query: SEARCH_GQL, variables: { query: 'fentanyl OR hotline', tracks: ['TRACK_1'], from: '2103', to: '2110', first: 20 } },
    sql: SEARCH_SQL,
    params: ['fentanyl OR hotline', ['TRACK_1'], '2103-01-01', '2110-12-31', 20],
    // Full-text ranking over a document assembled from four tables, with ts_headline snippets: the
    // generated schema has nothing of the kind (it would need a SQL function or a schema plugin).
    postgraphile: { notApplicable: 'no full-text search in the generated schema: ranking a document built from meeting, participants, hosts and sources, with ts_headline snippets, would need a SQL function in the database or a schema plugin' },
  },
  {
    key: 'stats',
    title: '4. Aggregate: `stats(groupBy: [CHANNEL, YEAR])`, meetings per channel per year',
    graphql: { query: STATS_GQL, variables: {} },
    sql: STATS_SQL,
    params: [],
    postgraphile: { notApplicable: 'no aggregates in the generated schema; the aggregates plugin (@graphile/pg-aggregates, a 0.2 release candidate for v5) groups a table by its own columns, and here the channel is on meeting_channel while the year is on meeting, so it would also need a SQL view in the database' },
  },
];

/** Replaces numbers by their value rounded to 6 decimals (float text forms may differ in the last digit). */
function normalise(value) {
  if (typeof value === 'number') return Math.round(value * 1e6) / 1e6;
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, normalise(value[k])]));
  }
  return value;
}

/** First path where two JSON values differ, or null. */
export function firstDifference(a, b, where = '') {
  if (isDeepStrictEqual(a, b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${where || '.'}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${where}[${i}]`);
      if (d) return d;
    }
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${where}.${k}`);
      if (d) return d;
    }
  }
  return `${where || '.'}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** Compares two response bodies (strings or parsed); returns null when they carry the same data. */
export function sameData(graphqlBody, sqlBody) {
  const g = typeof graphqlBody === 'string' ? JSON.parse(graphqlBody) : graphqlBody;
  const s = typeof sqlBody === 'string' ? JSON.parse(sqlBody) : sqlBody;
  if (g.errors) return `GraphQL errors: ${JSON.stringify(g.errors).slice(0, 300)}`;
  if (s.errors) return `SQL errors: ${JSON.stringify(s.errors).slice(0, 300)}`;
  return firstDifference(normalise(g.data), normalise(s.data));
}

/**
 * Compares a PostGraphile body with the raw-SQL body: PostGraphile's `data` is first reshaped by
 * the scenario's normaliser into the service's shape. Returns null when they carry the same data.
 */
export function samePostGraphileData(scenario, postgraphileBody, sqlBody) {
  const g = typeof postgraphileBody === 'string' ? JSON.parse(postgraphileBody) : postgraphileBody;
  if (g.errors) return `PostGraphile errors: ${JSON.stringify(g.errors).slice(0, 300)}`;
  return sameData({ data: scenario.postgraphile.normalise(g.data) }, sqlBody);
}

/** A one-line description of how much data a body carries, to show the scenarios are not trivial. */
export function describeBody(key, body) {
  const data = (typeof body === 'string' ? JSON.parse(body) : body).data;
  const bytes = Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body));
  switch (key) {
    case 'dashboard': return `${data.meetings.edges.length} meetings of ${data.meetings.totalCount}, ${bytes} bytes`;
    case 'channel': return `${data.channel.meetings.edges.length} meetings of ${data.channel.meetings.totalCount}, ${data.channel.meetings.edges.reduce((n, e) => n + e.node.outcomes.length, 0)} outcomes, ${bytes} bytes`;
    case 'search': return `${data.search.edges.length} hits of ${data.search.totalCount}, ${bytes} bytes`;
    case 'stats': return `${data.stats.length} buckets, ${bytes} bytes`;
    default: return `${bytes} bytes`;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { startService, startRawServer, startPostGraphile, ensurePostGraphileInstalled, postJson } = await import('./lib.mjs');
  const { databaseUrl } = await import('./load.mjs');
  const argv = process.argv.slice(2);
  const size = Number(argv.includes('--size') ? argv[argv.indexOf('--size') + 1] : 1000);
  const url = databaseUrl(size);
  ensurePostGraphileInstalled((m) => console.error(m));
  const service = await startService(url);
  const raw = await startRawServer(url);
  const postgraphile = await startPostGraphile(url);
  let failed = 0;
  try {
    for (const scenario of SCENARIOS) {
      const g = await postJson(service.graphqlUrl, scenario.graphql);
      const s = await postJson(raw.url, { scenario: scenario.key });
      const diff = sameData(g.body, s.body);
      if (diff) failed += 1;
      console.log(`${scenario.key}: ${diff ? `DIFFERENT: ${diff}` : `same data (${describeBody(scenario.key, g.body)})`}`);
      if (scenario.postgraphile?.graphql) {
        const p = await postJson(postgraphile.graphqlUrl, scenario.postgraphile.graphql);
        const d = p.status !== 200 ? `HTTP ${p.status}: ${p.body.slice(0, 300)}` : samePostGraphileData(scenario, p.body, s.body);
        if (d) failed += 1;
        console.log(`${scenario.key} PostGraphile: ${d ? `DIFFERENT: ${d}` : 'same data as raw SQL'}`);
      } else {
        console.log(`${scenario.key} PostGraphile: not applicable (${scenario.postgraphile?.notApplicable})`);
      }
    }
  } finally {
    await service.stop();
    await raw.stop();
    await postgraphile.stop();
  }
  process.exit(failed ? 1 : 0);
}
