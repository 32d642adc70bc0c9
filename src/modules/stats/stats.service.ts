/**
 * Aggregates for charts, each computed by one SQL statement (GROUP BY in PostgreSQL, no rows
 * loaded), and channel timelines, one statement for all channels asked for.
 */
import { Prisma } from '../../generated/prisma/client';
import type { Outcome as OutcomeRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { resultTooLarge } from '../../common/errors';
import { formatPartialDate } from '../engagements/engagement.mapping';
import type { MeetingFilter, OutcomeFilter } from '../filters/filters.input';
import { channelIds } from '../channels/channel.loaders';
import { Aliases, meetingFilterSql, outcomeFilterSql } from '../filters/filter.sql';
import { ChannelPhase, StatsDimension, StatsMeasure } from './stats.types';
import { alias, label, ordinal, referenceIds, rowLimit, type Sql } from '../../db/sql';

type Deps = Pick<Context, 'prisma' | 'loaders'>;

export interface StatsArgs {
  groupBy: StatsDimension[];
  measure: StatsMeasure;
  filter?: MeetingFilter | null;
  outcomeFilter?: OutcomeFilter | null;
  /** Most buckets returned; more is refused with RESULT_TOO_LARGE rather than cut silently. */
  limit: number;
}

export interface StatsRow {
  channelId: number | null;
  status: string | null;
  track: string | null;
  kind: string | null;
  side: string | null;
  countryCode: string | null;
  year: number | null;
  month: string | null;
  count: number;
}

/** A stats query as SQL, for execution (stats) and the planner (stats.shape.ts). */
export interface StatsStatement {
  dims: StatsDimension[];
  /** The buckets, ordered by their dimensions, at most limit + 1 of them (one more says there are too many). */
  rows: Sql;
  /** Column names of the dimensions in `rows`, in order. */
  columns: string[];
}

export async function statsStatement(deps: Deps, args: StatsArgs): Promise<StatsStatement> {
  const dims = [...new Set(args.groupBy)];
  const byOutcome = args.measure === StatsMeasure.OUTCOMES;
  const withOutcomes = byOutcome || dims.includes(StatsDimension.STATUS) || args.outcomeFilter != null;
  const aliases = new Aliases();
  const m = alias('m');
  const o = alias('o');
  const joins: Prisma.Sql[] = [];
  if (withOutcomes) {
    const condition = await outcomeFilterSql(deps, args.outcomeFilter, o, m, aliases, 'outcomeFilter');
    joins.push(Prisma.sql`JOIN outcome o ON o.meeting_id = m.id AND ${condition}`);
  }
  const channelByMeeting = dims.includes(StatsDimension.CHANNEL) && !byOutcome;
  if (channelByMeeting) joins.push(Prisma.sql`JOIN meeting_channel mc ON mc.meeting_id = m.id`);
  if (dims.includes(StatsDimension.SIDE)) joins.push(Prisma.sql`JOIN participation p ON p.meeting_id = m.id`);

  const columns: Record<StatsDimension, [string, Prisma.Sql]> = {
    CHANNEL: ['channelId', channelByMeeting ? Prisma.sql`mc.channel_id` : Prisma.sql`o.channel_id`],
    STATUS: ['status', Prisma.sql`o.status::text`],
    TRACK: ['track', Prisma.sql`m.track::text`],
    KIND: ['kind', Prisma.sql`m.kind::text`],
    SIDE: ['side', Prisma.sql`p.side::text`],
    COUNTRY: ['countryCode', Prisma.sql`m.country_code::text`],
    YEAR: ['year', Prisma.sql`EXTRACT(YEAR FROM m.start_date)::int`],
    MONTH: ['month', Prisma.sql`to_char(m.start_date, 'YYYY-MM')`],
  };
  const selected = dims.map((d) => Prisma.sql`${columns[d][1]} AS ${label(columns[d][0])}`);
  const counted = byOutcome ? Prisma.sql`o.id` : Prisma.sql`m.id`;
  // A meeting's outcomes or participants repeat it within a group; channel links and an
  // outcome's own columns do not, and COUNT(DISTINCT) costs a sort, so it is used only then.
  const repeats = (withOutcomes && !byOutcome) || dims.includes(StatsDimension.SIDE);
  const count = repeats ? Prisma.sql`COUNT(DISTINCT ${counted})` : Prisma.sql`COUNT(*)`;
  const where = await meetingFilterSql(deps, args.filter, m, aliases, 'filter');
  const groups = dims.map((_, i) => ordinal(i + 1));
  return {
    dims,
    columns: dims.map((d) => columns[d][0]),
    // The aggregate is fenced off (MATERIALIZED) from the LIMIT: seeing a LIMIT, PostgreSQL
    // planned for the first few groups (nested loops, memoize, incremental sort), about 4×
    // slower than hashing every row once, and every bucket up to the limit is read anyway.
    rows: Prisma.sql`
      WITH buckets AS MATERIALIZED (
        SELECT ${Prisma.join([...selected, Prisma.sql`${count}::int AS "count"`])}
        FROM meeting m ${joins.length ? Prisma.join(joins, ' ') : Prisma.empty}
        WHERE ${where}
        ${groups.length ? Prisma.sql`GROUP BY ${Prisma.join(groups)}` : Prisma.empty})
      SELECT * FROM buckets
      ${groups.length ? Prisma.sql`ORDER BY ${Prisma.join(groups)}` : Prisma.empty}
      LIMIT ${rowLimit(args.limit + 1)}`,
  };
}

export function tooManyBuckets(statement: StatsStatement, limit: number) {
  return resultTooLarge(
    `stats: grouping by ${statement.dims.join(', ')} gives more than ${limit} buckets; group by fewer dimensions, narrow the filter, or raise \`limit\`.`,
  );
}

export async function stats(deps: Deps, args: StatsArgs): Promise<StatsRow[]> {
  const statement = await statsStatement(deps, args);
  const rows = await deps.prisma.$queryRaw<Record<string, unknown>[]>`${statement.rows}`;
  if (rows.length > args.limit) throw tooManyBuckets(statement, args.limit);
  return rows.map((row) => ({
    channelId: null,
    status: null,
    track: null,
    kind: null,
    side: null,
    countryCode: null,
    year: null,
    month: null,
    ...(row as Partial<StatsRow>),
    count: Number(row.count),
  }));
}

const RESUMING = new Set(['AGREED', 'IMPLEMENTED']);

export interface TimelineRow {
  channelId: number;
  events: { outcome: OutcomeRow; date: string; phase: ChannelPhase }[];
  /** More events followed the ones returned. */
  truncated: boolean;
}

/**
 * Each channel's first `limit` events (oldest first). Phases are worked out from the start of
 * the channel's history, so they are right for every event returned.
 */
export async function channelTimelines(
  deps: Deps,
  slugs: string[] | null | undefined,
  filter: MeetingFilter | null | undefined,
  limit: number,
): Promise<TimelineRow[]> {
  const all = await deps.loaders.allChannels();
  const ids = slugs == null ? all.map((c) => c.id) : await channelIds(deps.loaders.allChannels, slugs, 'channels');
  const where = await meetingFilterSql(deps, filter, alias('m'), new Aliases(), 'filter');
  const rows = await deps.prisma.$queryRaw<(OutcomeRow & { startDate: Date; datePrecision: 'DAY' | 'MONTH' })[]>`
    SELECT o.id, o.meeting_id AS "meetingId", o.channel_id AS "channelId", o.position, o.description,
           o.status::text AS status, o.note, m.start_date AS "startDate", m.date_precision::text AS "datePrecision"
    FROM (SELECT o.*,
            row_number() OVER (PARTITION BY o.channel_id ORDER BY m.start_date, m.id, o.position) AS n
          FROM outcome o JOIN meeting m ON m.id = o.meeting_id
          WHERE o.channel_id = ANY(${referenceIds(ids)}) AND ${where}) o
    JOIN meeting m ON m.id = o.meeting_id
    WHERE o.n <= ${rowLimit(limit + 1)}
    ORDER BY o.channel_id, m.start_date, m.id, o.position`;
  return ids.map((channelId) => {
    let suspended = false;
    const own = rows.filter((row) => row.channelId === channelId);
    const events = own.slice(0, limit).map(({ startDate, datePrecision, ...outcome }) => {
      // Only something agreed or done ends a suspension: a request declined, or talk about
      // resuming (Blinken, June 2023, for the military channel), leaves the channel suspended.
      let phase: ChannelPhase;
      if (outcome.status === 'SUSPENDED') phase = ChannelPhase.SUSPENDED;
      else if (!suspended) phase = ChannelPhase.ACTIVE;
      else phase = RESUMING.has(outcome.status) ? ChannelPhase.RESUMED : ChannelPhase.SUSPENDED;
      suspended = phase === ChannelPhase.SUSPENDED;
      return { outcome: outcome as OutcomeRow, date: formatPartialDate(startDate, datePrecision), phase };
    });
    return { channelId, events, truncated: own.length > limit };
  });
}
