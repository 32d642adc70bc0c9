/**
 * Stats and timelines in SQL, for the read planner. Stats are the statement execution runs
 * (stats.service.ts) with each bucket built as JSON; timelines compute each event's phase with
 * window functions, by the rule channelTimelines applies in order (see its comment).
 */
import { LIST_LIMITS, listLimit } from '../../common/limits/list-bounds';
import { alias, join, label, referenceIds, rowLimit, sql } from '../../db/sql';
import { fallbackUnless, jsonList, partialDate } from '../../planner/json';
import { oneOf, scalar } from '../../planner/fields';
import type { FieldCompiler, TypeShape } from '../../planner/planner';
import { selectFields } from '../../planner/selection';
import { channelIds } from '../channels/channel.loaders';
import { Aliases, meetingFilterSql } from '../filters/filter.sql';
import type { MeetingFilter, OutcomeFilter } from '../filters/filters.input';
import { statsStatement } from './stats.service';
import type { StatsDimension, StatsMeasure } from './stats.types';

/** A bucket's column, named as the client's field (the statement labels them so). */
const bucket =
  (name: string): FieldCompiler =>
  ({ row }) =>
    sql`${row}.${label(name)}`;

/** The bucket columns a StatsBucket may read; absent dimensions are null, as in execution. */
const BUCKET_COLUMNS = ['channelId', 'status', 'track', 'kind', 'side', 'countryCode', 'year', 'month'];

export const statsShapes: TypeShape[] = [
  {
    type: 'Query',
    fields: {
      stats: async ({ planner, args, sets }) => {
        const limit = listLimit(args.limit as number | null, LIST_LIMITS.statsBuckets);
        const statement = await statsStatement(planner.deps, {
          groupBy: args.groupBy as StatsDimension[],
          measure: args.measure as StatsMeasure,
          filter: args.filter as MeetingFilter | null,
          outcomeFilter: args.outcomeFilter as OutcomeFilter | null,
          limit,
        });
        const s = planner.alias('s');
        const b = planner.alias('b');
        // Every bucket column, null when not grouped by it; numbered in the statement's order.
        const columns = BUCKET_COLUMNS.map((name) => (statement.columns.includes(name) ? sql`${s}.${label(name)}` : sql`NULL`));
        const numbered = sql`SELECT ${join(BUCKET_COLUMNS.map((name, i) => sql`${columns[i]} AS ${label(name)}`))}, ${s}."count",
          row_number() OVER (${statement.columns.length ? sql`ORDER BY ${join(statement.columns.map((name) => sql`${s}.${label(name)}`))}` : sql``}) AS n
          FROM (${statement.rows}) ${s}`;
        const element = await planner.object('StatsBucket', sets, b);
        // More buckets than `limit` (the rows stop at limit + 1) is RESULT_TOO_LARGE: execution
        // reports it. Counted in the same pass that builds the list: a separate count ran the
        // whole aggregate a second time.
        const buckets = fallbackUnless(
          sql`count(*) <= ${rowLimit(limit)}`,
          sql`coalesce(json_agg(${element} ORDER BY ${b}.n), '[]'::json)`,
        );
        return sql`(SELECT ${buckets} FROM (${numbered}) ${b})`;
      },
      timelines: async ({ planner, args, sets, field }) => {
        const all = await planner.deps.loaders.allChannels();
        const ids =
          args.channels == null
            ? all.map((c) => c.id)
            : await channelIds(planner.deps.loaders.allChannels, args.channels as string[], 'channels');
        const where = await meetingFilterSql(planner.deps, args.filter as MeetingFilter | null, alias('m'), new Aliases(), 'filter');
        // Events read per channel: the largest `limit` the selections of `events` ask for (stats.resolver.ts).
        const limits = selectFields(planner.scope, planner.typeNamed('ChannelTimeline'), field.sets)
          .filter((f) => f.name === 'events')
          .map((f) =>
            listLimit(planner.argumentsOf('ChannelTimeline', f).limit as number | null, LIST_LIMITS.timelineEvents, 'events.limit'),
          );
        const read = limits.length ? Math.max(...limits) : LIST_LIMITS.timelineEvents.default;
        const t = planner.alias('t');
        const timeline = await planner.object('ChannelTimeline', sets, t);
        return sql`(WITH timeline_events AS (
            SELECT o.*, m.start_date, m.date_precision,
                   row_number() OVER (PARTITION BY o.channel_id ORDER BY m.start_date, m.id, o.position) AS n
            FROM outcome o JOIN meeting m ON m.id = o.meeting_id
            WHERE o.channel_id = ANY(${referenceIds(ids)}) AND ${where}),
          timeline AS (
            SELECT e.*, ${read}::int AS read_limit,
                   CASE
                     WHEN e.status = 'SUSPENDED' THEN 'SUSPENDED'
                     WHEN NOT coalesce(e.last_suspended > coalesce(e.last_resumed, 0), false) THEN 'ACTIVE'
                     WHEN e.status IN ('AGREED', 'IMPLEMENTED') THEN 'RESUMED'
                     ELSE 'SUSPENDED'
                   END AS phase
            FROM (SELECT e.*,
                         max(e.n) FILTER (WHERE e.status = 'SUSPENDED') OVER earlier AS last_suspended,
                         max(e.n) FILTER (WHERE e.status IN ('AGREED', 'IMPLEMENTED')) OVER earlier AS last_resumed
                  FROM timeline_events e
                  WINDOW earlier AS (PARTITION BY e.channel_id ORDER BY e.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) e
            WHERE e.n <= ${rowLimit(read + 1)})
          SELECT coalesce(json_agg(${timeline} ORDER BY ${t}.ord), '[]'::json)
          FROM unnest(${ids}::int[]) WITH ORDINALITY AS ${t}(channel_id, ord))`;
      },
    },
  },
  {
    type: 'StatsBucket',
    fields: {
      channel: ({ row, sets, planner }) => planner.byId('Channel', 'channel', sql`${row}."channelId"`, sets),
      status: bucket('status'),
      track: bucket('track'),
      kind: bucket('kind'),
      side: bucket('side'),
      countryCode: bucket('countryCode'),
      year: bucket('year'),
      month: bucket('month'),
      count: bucket('count'),
    },
  },
  {
    type: 'ChannelTimeline',
    fields: {
      channel: oneOf('Channel', 'channel', 'channel_id'),
      events: async ({ row, args, sets, planner }) => {
        const limit = listLimit(args.limit as number | null, LIST_LIMITS.timelineEvents);
        const e = planner.alias('ev');
        return jsonList(
          await planner.object('TimelineEvent', sets, e),
          sql`FROM timeline ${e} WHERE ${e}.channel_id = ${row}.channel_id AND ${e}.n <= ${rowLimit(limit)}`,
          sql`${e}.n`,
        );
      },
      truncated: ({ row }) => sql`EXISTS (SELECT 1 FROM timeline e WHERE e.channel_id = ${row}.channel_id AND e.n > e.read_limit)`,
    },
  },
  {
    type: 'TimelineEvent',
    fields: {
      date: ({ row }) => partialDate(sql`${row}.start_date`, sql`${row}.date_precision`),
      status: scalar('status'),
      phase: scalar('phase'),
      // The event row is the outcome's row (with its meeting's date and the phase added).
      outcome: async ({ row, sets, planner }) => planner.object('Outcome', sets, row),
      meeting: oneOf('Meeting', 'meeting', 'meeting_id'),
    },
  },
];
