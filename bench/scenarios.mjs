#!/usr/bin/env node
/**
 * The benchmark's scenarios: the four of issue 5 (dashboard, channel page, search, stats) and the
 * six shapes of issue 10 (one meeting with every part, a person's page, channels → meetings →
 * outcomes and hosts, an outcome board, a deep keyset page, node(id:) for four types), each as a
 * GraphQL operation against this service, as the equivalent operation on PostGraphile v5 where
 * its generated schema can express it, and as ONE hand-written SQL statement that returns the same
 * response body (`{"data": ...}`) as JSON text, built entirely inside PostgreSQL. `sameData`
 * checks that two bodies carry the same data; `samePostGraphileData` does so after reshaping
 * PostGraphile's answer into the service's shape.
 *
 *   node bench/scenarios.mjs --size 1000 [--scenarios meeting,node]   # starts the three systems on bench_1000 and checks them
 *
 * Neither side selects global ids or cursors (opaque encodings of row ids); every list has a
 * total order in both (meetings: start_date DESC, id DESC; search: score DESC, kind, id; stats:
 * channel id, year; outcomes: meeting start_date DESC, meeting id DESC, position; a person's
 * participations: meeting start_date, id; children: their record position), so bodies are
 * compared in order. Scenarios whose parameters depend on the data set (`prepare`) are made
 * concrete by prepareScenarios before use.
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
// PostGraphile v5 (bench/postgraphile/server.mjs: amber preset + postgraphile-plugin-connection-filter
// + @graphile-contrib/pg-order-by-related) answers every scenario but search and stats with the
// schema it derives from the tables (the issue 10 shapes are further down). Its shape differs from this
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

// =============================================================================================
// Issue 10, part 3: six more shapes. Their parameters that depend on the data set's size (a
// meeting's slug, a person's, global ids, a cursor) are picked once per run by `prepare`
// (prepareScenarios below): by SQL on the bench database for the raw statement, and through each
// GraphQL system itself for its own ids and cursors, as a client would get them.

/** Participants as the service lists them (record position); `p` is participation, `pe`/`org` joined. */
const participantsList = (meeting, fields) => jsonList(
  `json_build_object(${fields})`,
  'p.position',
  `FROM participation p LEFT JOIN person pe ON pe.id = p.person_id
     LEFT JOIN organization org ON org.id = p.organization_id WHERE p.meeting_id = ${meeting}.id`);
const personOrNull = `CASE WHEN pe.id IS NULL THEN NULL ELSE json_build_object('slug', pe.slug, 'name', pe.name) END`;
const organizationOrNull = `CASE WHEN org.id IS NULL THEN NULL ELSE json_build_object('slug', org.slug, 'name', org.name) END`;
const hostsList = (meeting) => jsonList(`json_build_object('slug', org.slug, 'name', org.name)`, 'h.position',
  `FROM host h JOIN organization org ON org.id = h.organization_id WHERE h.meeting_id = ${meeting}.id`);
const channelsList = (meeting) => jsonList(`json_build_object('slug', c.slug, 'name', c.name)`, 'mc.position',
  `FROM meeting_channel mc JOIN channel c ON c.id = mc.channel_id WHERE mc.meeting_id = ${meeting}.id`);

// ---------------------------------------------------------------------------------------------
// (5) One meeting by slug with every part: every scalar field, channels, outcomes, participants
// with person and organisation, hosts, sources, and related meetings in both directions.
const MEETING_GQL = /* GraphQL */ `
  query Meeting($slug: String!) {
    meeting(slug: $slug) {
      slug title startDate endDate datePrecision kind track mode city region country countryCode venue
      summary uncertain uncertaintyNotes trip version
      channels { slug name }
      outcomes { channel { slug } status description note }
      participants { person { slug name } organization { slug name } role side delegation headcount note }
      hosts { slug name }
      sources { publisher title url publishedDate note }
      related { relation direction meeting { slug title startDate } }
    }
  }`;

// Related links as the service orders them (from, to, relation: the enum's declared order), at most 50.
const MEETING_SQL = `
  SELECT json_build_object('data', json_build_object('meeting', (
    SELECT json_build_object(
      'slug', m.slug, 'title', m.title, 'startDate', ${partialDate('m.start_date')}, 'endDate', ${partialDate('m.end_date')},
      'datePrecision', m.date_precision, 'kind', m.kind, 'track', m.track, 'mode', m.mode, 'city', m.city,
      'region', m.region, 'country', m.country, 'countryCode', m.country_code, 'venue', m.venue,
      'summary', m.summary, 'uncertain', m.uncertain, 'uncertaintyNotes', m.uncertainty_notes,
      'trip', (SELECT t.key FROM trip t WHERE t.id = m.trip_id), 'version', m.version,
      'channels', ${channelsList('m')},
      'outcomes', ${jsonList(
        `json_build_object('channel', json_build_object('slug', c.slug), 'status', o.status, 'description', o.description, 'note', o.note)`,
        'o.position', 'FROM outcome o JOIN channel c ON c.id = o.channel_id WHERE o.meeting_id = m.id')},
      'participants', ${participantsList('m', `'person', ${personOrNull}, 'organization', ${organizationOrNull},
          'role', p.role, 'side', p.side, 'delegation', p.delegation, 'headcount', p.headcount, 'note', p.note`)},
      'hosts', ${hostsList('m')},
      'sources', ${jsonList(
        `json_build_object('publisher', s.publisher, 'title', s.title, 'url', s.url, 'publishedDate', s.published_date, 'note', s.note)`,
        's.position', 'FROM source s WHERE s.meeting_id = m.id')},
      'related', ${jsonList(
        `json_build_object('relation', r.relation, 'direction', CASE WHEN r.from_meeting_id = m.id THEN 'OUTGOING' ELSE 'INCOMING' END,
          'meeting', json_build_object('slug', other.slug, 'title', other.title, 'startDate', ${partialDate('other.start_date', 'other')}))`,
        'r.from_meeting_id, r.to_meeting_id, r.relation',
        `FROM (SELECT * FROM meeting_relation r WHERE r.from_meeting_id = m.id OR r.to_meeting_id = m.id
                 ORDER BY r.from_meeting_id, r.to_meeting_id, r.relation LIMIT 50) r
           JOIN meeting other ON other.id = CASE WHEN r.from_meeting_id = m.id THEN r.to_meeting_id ELSE r.from_meeting_id END`)})
    FROM meeting m WHERE m.slug = $1)))::text AS body`;

// PostGraphile: no lookup by slug (Prisma makes the slug a unique *index*, not a constraint, and
// PostGraphile derives lookups from constraints), so `allMeetings(condition: { slug })`, an index
// scan. Related links are two backward relations (links recorded on this meeting, links pointing
// at it), each in primary-key order (from, to, relation), which the normaliser merges.
const PG_MEETING_GQL = /* GraphQL */ `
  query Meeting($slug: String!) {
    allMeetings(condition: { slug: $slug }) {
      nodes {
        rowId slug title startDate endDate datePrecision kind track mode city region country countryCode venue
        summary uncertain uncertaintyNotes version
        tripByTripId { key }
        meetingChannelsByMeetingId { nodes { position channelByChannelId { slug name } } }
        outcomesByMeetingId(orderBy: POSITION_ASC) { nodes { ${PG_OUTCOME_FIELDS} } }
        participationsByMeetingId(orderBy: POSITION_ASC) {
          nodes { personByPersonId { slug name } organizationByOrganizationId { slug name } role side delegation headcount note }
        }
        hostsByMeetingId { nodes { position organizationByOrganizationId { slug name } } }
        sourcesByMeetingId(orderBy: POSITION_ASC) { nodes { publisher title url publishedDate note } }
        meetingRelationsByFromMeetingId(first: 50, orderBy: PRIMARY_KEY_ASC) {
          nodes { fromMeetingId toMeetingId relation meetingByToMeetingId { slug title startDate datePrecision } }
        }
        meetingRelationsByToMeetingId(first: 50, orderBy: PRIMARY_KEY_ASC) {
          nodes { fromMeetingId toMeetingId relation meetingByFromMeetingId { slug title startDate datePrecision } }
        }
      }
    }
  }`;

const pgMeetingRef = (m) => ({ slug: m.slug, title: m.title, startDate: pgDate(m.startDate, m.datePrecision) });

/**
 * The service lists a meeting's links ordered by (from, to, relation). PostGraphile returned the
 * links recorded on it (from = this meeting, so ordered by to, relation) and those pointing at it
 * (to = this meeting, ordered by from, relation), each in that order: merged without re-sorting
 * either list, the incoming links from earlier ids come first, then the outgoing ones, then the rest.
 */
function pgRelated(m) {
  const outgoing = m.meetingRelationsByFromMeetingId.nodes.map((r) => ({ from: r.fromMeetingId, item: { relation: r.relation, direction: 'OUTGOING', meeting: pgMeetingRef(r.meetingByToMeetingId) } }));
  const incoming = m.meetingRelationsByToMeetingId.nodes.filter((r) => r.fromMeetingId !== m.rowId)
    .map((r) => ({ from: r.fromMeetingId, item: { relation: r.relation, direction: 'INCOMING', meeting: pgMeetingRef(r.meetingByFromMeetingId) } }));
  return [...incoming.filter((r) => r.from < m.rowId), ...outgoing, ...incoming.filter((r) => r.from > m.rowId)].slice(0, 50).map((r) => r.item);
}

const pgParticipant = (p) => ({
  person: p.personByPersonId, organization: p.organizationByOrganizationId,
  role: p.role, side: p.side, delegation: p.delegation, headcount: p.headcount, note: p.note,
});

function pgMeeting(data) {
  const m = data.allMeetings.nodes[0];
  if (!m) return { meeting: null };
  return {
    meeting: {
      slug: m.slug, title: m.title,
      startDate: pgDate(m.startDate, m.datePrecision), endDate: pgDate(m.endDate, m.datePrecision),
      datePrecision: m.datePrecision, kind: m.kind, track: m.track, mode: m.mode, city: m.city, region: m.region,
      country: m.country, countryCode: m.countryCode, venue: m.venue, summary: m.summary, uncertain: m.uncertain,
      uncertaintyNotes: m.uncertaintyNotes, trip: m.tripByTripId?.key ?? null, version: m.version,
      channels: byPosition(m.meetingChannelsByMeetingId.nodes).map((mc) => mc.channelByChannelId),
      outcomes: m.outcomesByMeetingId.nodes.map(pgOutcome),
      participants: m.participationsByMeetingId.nodes.map(pgParticipant),
      hosts: byPosition(m.hostsByMeetingId.nodes).map((h) => h.organizationByOrganizationId),
      sources: m.sourcesByMeetingId.nodes,
      related: pgRelated(m),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (6) A person's page: their participations (oldest meeting first, the first 100: the default
// limit), each with its meeting and the meeting's outcomes with their channel.
const PERSON_GQL = /* GraphQL */ `
  query Person($slug: String!) {
    person(slug: $slug) {
      slug name participationCount
      participations {
        role side
        meeting { slug title startDate kind outcomes { status description channel { slug name } } }
      }
    }
  }`;

const PERSON_SQL = `
  SELECT json_build_object('data', json_build_object('person', (
    SELECT json_build_object('slug', pe.slug, 'name', pe.name,
      'participationCount', (SELECT count(*)::int FROM participation WHERE person_id = pe.id),
      'participations', (SELECT coalesce(json_agg(json_build_object('role', m.role, 'side', m.side, 'meeting', json_build_object(
          'slug', m.slug, 'title', m.title, 'startDate', ${partialDate('m.start_date')}, 'kind', m.kind,
          'outcomes', ${jsonList(
            `json_build_object('status', o.status, 'description', o.description, 'channel', json_build_object('slug', c.slug, 'name', c.name))`,
            'o.position', 'FROM outcome o JOIN channel c ON c.id = o.channel_id WHERE o.meeting_id = m.id')}))
          ORDER BY m.start_date, m.participation_id), '[]'::json)
        FROM (SELECT pa.id AS participation_id, pa.role, pa.side, mt.*
              FROM participation pa JOIN meeting mt ON mt.id = pa.meeting_id
              WHERE pa.person_id = pe.id ORDER BY mt.start_date, pa.id LIMIT 100) m))
    FROM person pe WHERE pe.slug = $1)))::text AS body`;

// Ordered by the meeting's start date through the order-by-related plugin, then the participation's id.
const PG_PERSON_GQL = /* GraphQL */ `
  query Person($slug: String!) {
    allPeople(condition: { slug: $slug }) {
      nodes {
        slug name
        participationsByPersonId(first: 100, orderBy: [MEETING_BY_MEETING_ID__START_DATE_ASC, PRIMARY_KEY_ASC]) {
          totalCount
          nodes {
            role side
            meetingByMeetingId {
              slug title startDate datePrecision kind
              outcomesByMeetingId(orderBy: POSITION_ASC) {
                nodes { status description meetingChannelByMeetingIdAndChannelId { channelByChannelId { slug name } } }
              }
            }
          }
        }
      }
    }
  }`;

function pgPerson(data) {
  const p = data.allPeople.nodes[0];
  if (!p) return { person: null };
  return {
    person: {
      slug: p.slug, name: p.name, participationCount: p.participationsByPersonId.totalCount,
      participations: p.participationsByPersonId.nodes.map((pa) => {
        const m = pa.meetingByMeetingId;
        return {
          role: pa.role, side: pa.side,
          meeting: {
            slug: m.slug, title: m.title, startDate: pgDate(m.startDate, m.datePrecision), kind: m.kind,
            outcomes: m.outcomesByMeetingId.nodes.map((o) => ({ status: o.status, description: o.description, channel: o.meetingChannelByMeetingIdAndChannelId.channelByChannelId })),
          },
        };
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (7) Every channel with its 10 newest meetings as a nested connection, each with its outcomes
// and hosts.
const CHANNELS_GQL = /* GraphQL */ `
  query Channels($first: Int!) {
    channels {
      slug name
      meetings(first: $first) {
        edges { node { slug title startDate outcomes { status description } hosts { slug name } } }
      }
    }
  }`;

const CHANNELS_SQL = `
  SELECT json_build_object('data', json_build_object('channels', coalesce(json_agg(json_build_object(
      'slug', ch.slug, 'name', ch.name,
      'meetings', json_build_object('edges', (
        SELECT coalesce(json_agg(json_build_object('node', json_build_object(
            'slug', m.slug, 'title', m.title, 'startDate', ${partialDate('m.start_date')},
            'outcomes', ${jsonList(`json_build_object('status', o.status, 'description', o.description)`, 'o.position', 'FROM outcome o WHERE o.meeting_id = m.id')},
            'hosts', ${hostsList('m')}))
          ORDER BY m.start_date DESC, m.id DESC), '[]'::json)
        FROM (SELECT mt.* FROM meeting_channel mcx JOIN meeting mt ON mt.id = mcx.meeting_id
              WHERE mcx.channel_id = ch.id ORDER BY mt.start_date DESC, mt.id DESC LIMIT $1) m)))
    ORDER BY ch.position), '[]'::json)))::text AS body
  FROM channel ch`;

// A channel's meetings are its meeting_channel links, ordered by their meeting's start date
// (order-by-related), then by meeting id: the service's (start_date DESC, id DESC).
const PG_CHANNELS_GQL = /* GraphQL */ `
  query Channels($first: Int!) {
    allChannels(orderBy: POSITION_ASC) {
      nodes {
        slug name
        meetingChannelsByChannelId(first: $first, orderBy: [MEETING_BY_MEETING_ID__START_DATE_DESC, MEETING_ID_DESC]) {
          nodes {
            meetingByMeetingId {
              slug title startDate datePrecision
              outcomesByMeetingId(orderBy: POSITION_ASC) { nodes { status description } }
              hostsByMeetingId { nodes { position organizationByOrganizationId { slug name } } }
            }
          }
        }
      }
    }
  }`;

function pgChannels(data) {
  return {
    channels: data.allChannels.nodes.map((c) => ({
      slug: c.slug, name: c.name,
      meetings: {
        edges: c.meetingChannelsByChannelId.nodes.map(({ meetingByMeetingId: m }) => ({
          node: {
            slug: m.slug, title: m.title, startDate: pgDate(m.startDate, m.datePrecision),
            outcomes: m.outcomesByMeetingId.nodes,
            hosts: byPosition(m.hostsByMeetingId.nodes).map((h) => h.organizationByOrganizationId),
          },
        })),
      },
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// (8) An outcome board: outcomes in some statuses on some channels, newest meeting first (each
// meeting's in record order), first 50 and the total, each with its meeting's participants.
const OUTCOMES_GQL = /* GraphQL */ `
  query OutcomeBoard($statuses: [OutcomeStatus!], $channels: [String!], $first: Int!) {
    outcomes(filter: { statuses: $statuses, channels: $channels }, first: $first) {
      totalCount
      edges {
        node {
          status description note channel { slug }
          meeting { slug title startDate participants { role side person { slug name } } }
        }
      }
    }
  }`;

const outcomeBoardWhere = `o.status = ANY($1::"OutcomeStatus"[]) AND o.channel_id IN (SELECT id FROM channel WHERE slug = ANY($2::text[]))`;
const OUTCOMES_SQL = `
  SELECT json_build_object('data', json_build_object('outcomes', json_build_object(
    'totalCount', (SELECT count(*)::int FROM outcome o WHERE ${outcomeBoardWhere}),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
        'status', o.status, 'description', o.description, 'note', o.note, 'channel', json_build_object('slug', c.slug),
        'meeting', json_build_object('slug', m.slug, 'title', m.title, 'startDate', ${partialDate('m.start_date')},
          'participants', ${participantsList('m', `'role', p.role, 'side', p.side, 'person', ${personOrNull}`)})))
        ORDER BY m.start_date DESC, m.id DESC, o.position), '[]'::json)
      FROM (SELECT o.* FROM outcome o JOIN meeting om ON om.id = o.meeting_id WHERE ${outcomeBoardWhere}
            ORDER BY om.start_date DESC, om.id DESC, o.position LIMIT $3) o
      JOIN meeting m ON m.id = o.meeting_id JOIN channel c ON c.id = o.channel_id))))::text AS body`;

// The channel is matched by slug across the outcome's composite foreign key to meeting_channel
// (the filter plugin's forward-relation filter); the order is the meeting's start date
// (order-by-related), the meeting id, the outcome's position.
const PG_OUTCOMES_GQL = /* GraphQL */ `
  query OutcomeBoard($statuses: [OutcomeStatus!], $channels: [String!], $first: Int!) {
    allOutcomes(
      first: $first
      orderBy: [MEETING_BY_MEETING_ID__START_DATE_DESC, MEETING_ID_DESC, POSITION_ASC]
      filter: { status: { in: $statuses }, meetingChannelByMeetingIdAndChannelId: { channelByChannelId: { slug: { in: $channels } } } }
    ) {
      totalCount
      nodes {
        ${PG_OUTCOME_FIELDS}
        meetingByMeetingId {
          slug title startDate datePrecision
          participationsByMeetingId(orderBy: POSITION_ASC) { nodes { role side personByPersonId { slug name } } }
        }
      }
    }
  }`;

function pgOutcomes(data) {
  return {
    outcomes: {
      totalCount: data.allOutcomes.totalCount,
      edges: data.allOutcomes.nodes.map((o) => {
        const m = o.meetingByMeetingId;
        return {
          node: {
            ...pgOutcome(o),
            meeting: {
              slug: m.slug, title: m.title, startDate: pgDate(m.startDate, m.datePrecision),
              participants: m.participationsByMeetingId.nodes.map((p) => ({ role: p.role, side: p.side, person: p.personByPersonId })),
            },
          },
        };
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (9) A deep keyset page: page 3 of the meetings, 50 a page, newest first, with channels. Each
// system is given its own cursor (the service's and PostGraphile's `endCursor` after 100 meetings,
// fetched once; for the raw statement, the 100th meeting's sort key).
const DEEP_PAGE = 3;
const DEEP_PAGE_SIZE = 50;
const DEEP_GQL = /* GraphQL */ `
  query DeepPage($first: Int!, $after: String!) {
    meetings(first: $first, after: $after) {
      pageInfo { hasNextPage }
      edges { node { slug title startDate kind channels { slug name } } }
    }
  }`;

const DEEP_SQL = `
  WITH page AS (
    SELECT * FROM meeting WHERE (start_date, id) < ($1::date, $2::int)
    ORDER BY start_date DESC, id DESC LIMIT $3::int + 1)
  SELECT json_build_object('data', json_build_object('meetings', json_build_object(
    'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > $3::int),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object(
        'slug', m.slug, 'title', m.title, 'startDate', ${partialDate('m.start_date')}, 'kind', m.kind,
        'channels', ${channelsList('m')})) ORDER BY m.start_date DESC, m.id DESC), '[]'::json)
      FROM (SELECT * FROM page ORDER BY start_date DESC, id DESC LIMIT $3::int) m))))::text AS body`;

const PG_DEEP_GQL = /* GraphQL */ `
  query DeepPage($first: Int!, $after: Cursor!) {
    allMeetings(first: $first, after: $after, orderBy: ${PG_MEETING_ORDER}) {
      pageInfo { hasNextPage }
      nodes {
        slug title startDate datePrecision kind
        meetingChannelsByMeetingId { nodes { position channelByChannelId { slug name } } }
      }
    }
  }`;

function pgDeep(data) {
  return {
    meetings: {
      pageInfo: { hasNextPage: data.allMeetings.pageInfo.hasNextPage },
      edges: data.allMeetings.nodes.map((m) => ({
        node: {
          slug: m.slug, title: m.title, startDate: pgDate(m.startDate, m.datePrecision), kind: m.kind,
          channels: byPosition(m.meetingChannelsByMeetingId.nodes).map((mc) => mc.channelByChannelId),
        },
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (10) node(id:) for four types in one operation: scenario 5's meeting, its first outcome, scenario
// 6's person and the meeting's first host. Each GraphQL system is given its own global ids (fetched
// once); the raw statement is given the row ids.
const NODE_GQL = /* GraphQL */ `
  query Nodes($meeting: ID!, $outcome: ID!, $person: ID!, $organization: ID!) {
    meeting: node(id: $meeting) { __typename ... on Meeting { slug title startDate kind } }
    outcome: node(id: $outcome) { __typename ... on Outcome { status description meeting { slug } } }
    person: node(id: $person) { __typename ... on Person { slug name } }
    organization: node(id: $organization) { __typename ... on Organization { slug name } }
  }`;

const NODE_SQL = `
  SELECT json_build_object('data', json_build_object(
    'meeting', (SELECT json_build_object('__typename', 'Meeting', 'slug', m.slug, 'title', m.title,
        'startDate', ${partialDate('m.start_date')}, 'kind', m.kind) FROM meeting m WHERE m.id = $1),
    'outcome', (SELECT json_build_object('__typename', 'Outcome', 'status', o.status, 'description', o.description,
        'meeting', json_build_object('slug', m.slug)) FROM outcome o JOIN meeting m ON m.id = o.meeting_id WHERE o.id = $2),
    'person', (SELECT json_build_object('__typename', 'Person', 'slug', pe.slug, 'name', pe.name) FROM person pe WHERE pe.id = $3),
    'organization', (SELECT json_build_object('__typename', 'Organization', 'slug', org.slug, 'name', org.name)
        FROM organization org WHERE org.id = $4)))::text AS body`;

const PG_NODE_GQL = /* GraphQL */ `
  query Nodes($meeting: ID!, $outcome: ID!, $person: ID!, $organization: ID!) {
    meeting: node(id: $meeting) { __typename ... on Meeting { slug title startDate datePrecision kind } }
    outcome: node(id: $outcome) { __typename ... on Outcome { status description meetingByMeetingId { slug } } }
    person: node(id: $person) { __typename ... on Person { slug name } }
    organization: node(id: $organization) { __typename ... on Organization { slug name } }
  }`;

function pgNode(data) {
  const { meeting: m, outcome: o, person, organization } = data;
  return {
    meeting: m && { __typename: m.__typename, slug: m.slug, title: m.title, startDate: pgDate(m.startDate, m.datePrecision), kind: m.kind },
    outcome: o && { __typename: o.__typename, status: o.status, description: o.description, meeting: o.meetingByMeetingId },
    person,
    organization,
  };
}

// ---------------------------------------------------------------------------------------------
// Picking the size-dependent parameters, once per data set.

/**
 * The meeting of scenarios 5 and 10: the newest that has every part, each at least as often as the
 * real records have it on average — three or more channels, outcomes, named participants with
 * their organisation and sources, a host, and related links in both directions (links only point
 * at earlier meetings, so the very newest meetings have no incoming one).
 */
const PICK_MEETING_SQL = `
  SELECT m.id, m.slug FROM meeting m
  WHERE (SELECT count(*) FROM meeting_channel mc WHERE mc.meeting_id = m.id) >= 3
    AND (SELECT count(*) FROM outcome o WHERE o.meeting_id = m.id) >= 3
    AND (SELECT count(*) FROM participation p WHERE p.meeting_id = m.id AND p.person_id IS NOT NULL AND p.organization_id IS NOT NULL) >= 3
    AND (SELECT count(*) FROM source s WHERE s.meeting_id = m.id) >= 3
    AND EXISTS (SELECT 1 FROM host h WHERE h.meeting_id = m.id)
    AND EXISTS (SELECT 1 FROM meeting_relation r WHERE r.from_meeting_id = m.id)
    AND EXISTS (SELECT 1 FROM meeting_relation r WHERE r.to_meeting_id = m.id)
  ORDER BY m.start_date DESC, m.id DESC LIMIT 1`;
/**
 * The person of scenarios 6 and 10: the one with the most participations among those with at most
 * 40, so that a whole record is one page at every size (the most frequent people have thousands at
 * 100k meetings, of which the page shows the first 100) and the page's size does not grow with the data.
 */
const PICK_PERSON_SQL = `
  SELECT p.id, p.slug, count(*)::int AS participations FROM person p JOIN participation pa ON pa.person_id = p.id
  GROUP BY p.id HAVING count(*) <= 40 ORDER BY count(*) DESC, p.id LIMIT 1`;

/** What every prepared scenario is built from: rows picked by SQL, ids and cursors from each GraphQL system. */
async function picks(ctx) {
  const one = async (text, params = []) => {
    const rows = await ctx.query(text, params);
    if (!rows[0]) throw new Error(`bench: nothing matches ${text.trim().split('\n')[0]}`);
    return rows[0];
  };
  const meeting = await one(PICK_MEETING_SQL);
  const person = await one(PICK_PERSON_SQL);
  const outcome = await one('SELECT id FROM outcome WHERE meeting_id = $1 ORDER BY position LIMIT 1', [meeting.id]);
  const organization = await one('SELECT o.id, o.slug FROM host h JOIN organization o ON o.id = h.organization_id WHERE h.meeting_id = $1 ORDER BY h.position LIMIT 1', [meeting.id]);
  const skip = (DEEP_PAGE - 1) * DEEP_PAGE_SIZE;
  const deep = await one(`SELECT to_char(start_date, 'YYYY-MM-DD') AS start_date, id FROM meeting ORDER BY start_date DESC, id DESC OFFSET ${skip - 1} LIMIT 1`);
  const ids = { meeting: meeting.id, outcome: outcome.id, person: person.id, organization: organization.id };
  const slugs = { meeting: meeting.slug, person: person.slug, organization: organization.slug };

  const graphql = async (label, send, payload) => {
    const r = await send(payload);
    const body = JSON.parse(r.body);
    if (r.status !== 200 || body.errors) throw new Error(`bench: preparing on ${label}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
    return body.data;
  };
  const service = await graphql('the service', ctx.service, {
    query: /* GraphQL */ `query Prepare($meeting: String!, $person: String!, $organization: String!, $skip: Int!) {
      meeting(slug: $meeting) { id outcomes { id } }
      person(slug: $person) { id }
      organization(slug: $organization) { id }
      meetings(first: $skip) { pageInfo { endCursor } }
    }`,
    variables: { ...slugs, skip },
  });
  const result = {
    chosen: { meeting: meeting.slug, person: `${person.slug} (${person.participations} participations)`, organization: organization.slug, deepAfter: `${deep.start_date} #${deep.id}` },
    ids,
    slugs,
    deep,
    service: {
      ids: { meeting: service.meeting.id, outcome: service.meeting.outcomes[0].id, person: service.person.id, organization: service.organization.id },
      after: service.meetings.pageInfo.endCursor,
    },
  };
  if (ctx.postgraphile) {
    const pg = await graphql('PostGraphile', ctx.postgraphile, {
      query: /* GraphQL */ `query Prepare($meeting: String!, $person: String!, $organization: String!, $skip: Int!) {
        allMeetings(condition: { slug: $meeting }) { nodes { id outcomesByMeetingId(first: 1, orderBy: POSITION_ASC) { nodes { id } } } }
        allPeople(condition: { slug: $person }) { nodes { id } }
        allOrganizations(condition: { slug: $organization }) { nodes { id } }
        allMeetings2: allMeetings(first: $skip, orderBy: ${PG_MEETING_ORDER}) { pageInfo { endCursor } }
      }`,
      variables: { ...slugs, skip },
    });
    const m = pg.allMeetings.nodes[0];
    result.postgraphile = {
      ids: { meeting: m.id, outcome: m.outcomesByMeetingId.nodes[0].id, person: pg.allPeople.nodes[0].id, organization: pg.allOrganizations.nodes[0].id },
      after: pg.allMeetings2.pageInfo.endCursor,
    };
  }
  return result;
}

const ISSUE_10_SCENARIOS = [
  {
    key: 'meeting',
    title: '5. One meeting by slug with every part: channels, outcomes, participants (person, organisation), hosts, sources, related meetings',
    graphql: { query: MEETING_GQL },
    sql: MEETING_SQL,
    postgraphile: { graphql: { query: PG_MEETING_GQL }, normalise: pgMeeting },
    prepare: (p) => ({ variables: { slug: p.slugs.meeting }, postgraphileVariables: { slug: p.slugs.meeting }, params: [p.slugs.meeting] }),
  },
  {
    key: 'person',
    title: '6. A person\'s page: participations (first 100, oldest first) → meeting → outcomes → channel',
    graphql: { query: PERSON_GQL },
    sql: PERSON_SQL,
    postgraphile: { graphql: { query: PG_PERSON_GQL }, normalise: pgPerson },
    prepare: (p) => ({ variables: { slug: p.slugs.person }, postgraphileVariables: { slug: p.slugs.person }, params: [p.slugs.person] }),
  },
  {
    key: 'channels',
    title: '7. Every channel → meetings(first: 10) → outcomes and hosts, as nested connections',
    graphql: { query: CHANNELS_GQL, variables: { first: 10 } },
    sql: CHANNELS_SQL,
    params: [10],
    postgraphile: { graphql: { query: PG_CHANNELS_GQL, variables: { first: 10 } }, normalise: pgChannels },
    pageSizes: { variable: 'first', param: 0, values: [2, 10, 50] },
  },
  {
    key: 'outcomes',
    title: '8. Outcome board: outcomes AGREED on climate, first 50 and total, each with meeting → participants → person',
    graphql: { query: OUTCOMES_GQL, variables: { statuses: ['AGREED'], channels: ['climate'], first: 50 } },
    sql: OUTCOMES_SQL,
    params: [['AGREED'], ['climate'], 50],
    postgraphile: { graphql: { query: PG_OUTCOMES_GQL, variables: { statuses: ['AGREED'], channels: ['climate'], first: 50 } }, normalise: pgOutcomes },
    pageSizes: { variable: 'first', param: 2, values: [5, 20, 100] },
  },
  {
    key: 'deep',
    title: `9. Deep keyset page: meetings page ${DEEP_PAGE} (first ${DEEP_PAGE_SIZE} after the ${(DEEP_PAGE - 1) * DEEP_PAGE_SIZE}th, by cursor), with channels`,
    graphql: { query: DEEP_GQL },
    sql: DEEP_SQL,
    postgraphile: { graphql: { query: PG_DEEP_GQL }, normalise: pgDeep },
    prepare: (p) => ({
      variables: { first: DEEP_PAGE_SIZE, after: p.service.after },
      postgraphileVariables: p.postgraphile && { first: DEEP_PAGE_SIZE, after: p.postgraphile.after },
      params: [p.deep.start_date, p.deep.id, DEEP_PAGE_SIZE],
    }),
    pageSizes: { variable: 'first', param: 2, values: [5, 20, 100] },
  },
  {
    key: 'node',
    title: '10. `node(id:)` for a meeting, an outcome, a person and an organisation in one operation',
    graphql: { query: NODE_GQL },
    sql: NODE_SQL,
    postgraphile: { graphql: { query: PG_NODE_GQL }, normalise: pgNode },
    prepare: (p) => ({
      variables: p.service.ids,
      postgraphileVariables: p.postgraphile?.ids,
      params: [p.ids.meeting, p.ids.outcome, p.ids.person, p.ids.organization],
    }),
  },
];

export const SCENARIOS = [
  {
    key: 'dashboard',
    title: '1. Dashboard page: 20 newest meetings with channels, outcomes, participants (person, organisation), hosts, sources',
    graphql: { query: DASHBOARD_GQL, variables: { first: 20 } },
    sql: DASHBOARD_SQL,
    params: [20],
    postgraphile: { graphql: { query: PG_DASHBOARD_GQL, variables: { first: 20 } }, normalise: pgDashboard },
    // run.mjs checks and counts the same shape at these page sizes too (statements must not grow with `first`).
    pageSizes: { variable: 'first', param: 0, values: [5, 20, 100] },
  },
  {
    key: 'channel',
    title: '2. A channel\'s meetings (military, first 50) with outcomes filtered by status (AGREED, IMPLEMENTED)',
    graphql: { query: CHANNEL_GQL, variables: { channel: 'military', first: 50, status: ['AGREED', 'IMPLEMENTED'] } },
    sql: CHANNEL_SQL,
    params: ['military', 50, ['AGREED', 'IMPLEMENTED']],
    postgraphile: { graphql: { query: PG_CHANNEL_GQL, variables: { channel: 'military', first: 50, status: ['AGREED', 'IMPLEMENTED'] } }, normalise: pgChannel },
    pageSizes: { variable: 'first', param: 1, values: [5, 20, 100] },
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
  ...ISSUE_10_SCENARIOS,
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
    case 'meeting': {
      const m = data.meeting;
      return `${m.slug}: ${m.channels.length} channels, ${m.outcomes.length} outcomes, ${m.participants.length} participants, ${m.hosts.length} hosts, ${m.sources.length} sources, ${m.related.length} related, ${bytes} bytes`;
    }
    case 'person': {
      const p = data.person;
      return `${p.slug}: ${p.participations.length} participations of ${p.participationCount}, ${p.participations.reduce((n, x) => n + x.meeting.outcomes.length, 0)} outcomes, ${bytes} bytes`;
    }
    case 'channels': {
      const meetings = data.channels.flatMap((c) => c.meetings.edges);
      return `${data.channels.length} channels, ${meetings.length} meetings, ${meetings.reduce((n, e) => n + e.node.outcomes.length, 0)} outcomes, ${bytes} bytes`;
    }
    case 'outcomes': return `${data.outcomes.edges.length} outcomes of ${data.outcomes.totalCount}, ${data.outcomes.edges.reduce((n, e) => n + e.node.meeting.participants.length, 0)} participants, ${bytes} bytes`;
    case 'deep': return `${data.meetings.edges.length} meetings, hasNextPage ${data.meetings.pageInfo.hasNextPage}, ${bytes} bytes`;
    case 'node': return `${Object.values(data).filter(Boolean).map((n) => n.__typename).join(', ')}, ${bytes} bytes`;
    default: return `${bytes} bytes`;
  }
}

/**
 * The scenarios as they are sent, for one data set: those with `prepare` get their size-dependent
 * variables and parameters (picks above), fetched once through `query` (SQL on the bench database),
 * `service` and `postgraphile` (each `(payload) => {status, body}`; PostGraphile may be absent, and
 * then its variables are left out). Every scenario gets `raw`, the raw server's request body, and
 * `postgraphile.graphql` only where PostGraphile applies and was prepared.
 */
export async function prepareScenarios(scenarios, ctx) {
  const p = scenarios.some((s) => s.prepare) ? await picks(ctx) : null;
  return scenarios.map((s) => {
    if (!s.prepare) return { ...s, raw: { scenario: s.key } };
    const { variables, postgraphileVariables, params } = s.prepare(p);
    const postgraphile = s.postgraphile?.graphql
      ? postgraphileVariables ? { ...s.postgraphile, graphql: { ...s.postgraphile.graphql, variables: postgraphileVariables } } : { notPrepared: true }
      : s.postgraphile;
    return { ...s, graphql: { ...s.graphql, variables }, params, raw: { scenario: s.key, params }, postgraphile, chosen: p.chosen };
  });
}

/** The same scenario with its page size (`first`) set to `first`, on every system. */
export function withPageSize(scenario, first) {
  const { variable, param } = scenario.pageSizes;
  const params = [...(scenario.raw.params ?? scenario.params)];
  params[param] = first;
  return {
    ...scenario,
    graphql: { ...scenario.graphql, variables: { ...scenario.graphql.variables, [variable]: first } },
    raw: { scenario: scenario.key, params },
    postgraphile: scenario.postgraphile?.graphql
      ? { ...scenario.postgraphile, graphql: { ...scenario.postgraphile.graphql, variables: { ...scenario.postgraphile.graphql.variables, [variable]: first } } }
      : scenario.postgraphile,
  };
}

/** A context for prepareScenarios: SQL through pg on `databaseUrl`, GraphQL by HTTP POST. */
export async function prepareOn(scenarios, { databaseUrl, serviceUrl, postgraphileUrl }) {
  const { default: pg } = await import('pg');
  const { postJson } = await import('./lib.mjs');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await prepareScenarios(scenarios, {
      query: async (text, params) => (await client.query(text, params)).rows,
      service: (payload) => postJson(serviceUrl, payload),
      postgraphile: postgraphileUrl ? (payload) => postJson(postgraphileUrl, payload) : null,
    });
  } finally {
    await client.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { startService, startRawServer, startPostGraphile, ensurePostGraphileInstalled, postJson } = await import('./lib.mjs');
  const { databaseUrl } = await import('./load.mjs');
  const argv = process.argv.slice(2);
  const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
  const size = Number(get('size', 1000));
  const only = get('scenarios', null)?.split(',') ?? null;
  const url = databaseUrl(size);
  ensurePostGraphileInstalled((m) => console.error(m));
  const service = await startService(url);
  const raw = await startRawServer(url);
  const postgraphile = await startPostGraphile(url);
  let failed = 0;
  try {
    const scenarios = await prepareOn(SCENARIOS.filter((s) => !only || only.includes(s.key)), { databaseUrl: url, serviceUrl: service.graphqlUrl, postgraphileUrl: postgraphile.graphqlUrl });
    const chosen = scenarios.find((s) => s.chosen)?.chosen;
    if (chosen) console.log(`bench_${size}: picked ${JSON.stringify(chosen)}`);
    for (const scenario of scenarios) {
      const g = await postJson(service.graphqlUrl, scenario.graphql);
      const s = await postJson(raw.url, scenario.raw);
      const diff = g.status !== 200 ? `HTTP ${g.status}: ${g.body.slice(0, 300)}` : s.status !== 200 ? `raw HTTP ${s.status}: ${s.body.slice(0, 300)}` : sameData(g.body, s.body);
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
