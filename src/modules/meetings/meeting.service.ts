/**
 * Reading meetings: filters, ordering and keyset pages. Resolvers call these; nothing else in
 * the meetings module reads the meeting table.
 *
 * A page is one SQL statement: the page's rows, the parts of each meeting the query selects
 * (meeting-prefetch.ts) and, when asked for, the total count. The filter is the same SQL that
 * stats and search use (stats/filter.sql.ts), so a filter means the same rows everywhere.
 */
import type { Meeting } from '../../generated/prisma/client';
import { Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { encodeCursor, keysetSql, orderBySql, pageRequest, toConnection, type Connection, type PageArgs, type SqlSortKey } from '../../common/pagination';
import { Aliases, meetingFilterSql } from '../filters/filter.sql';
import type { MeetingFilter } from '../filters/filters.input';
import { MeetingOrder, ORDER_KEYS } from './meeting-order.enum';
import { keepParts, partColumns, type MeetingSelection } from './meeting-prefetch';
import { alias, column, direction, label } from '../../db/sql';

/** A meeting as resolvers see it; its bookkeeping timestamps are not part of the API. */
export type MeetingRow = Omit<Meeting, 'createdAt' | 'updatedAt'>;
type Deps = Pick<Context, 'prisma' | 'loaders' | 'prefetched'>;

export interface MeetingListArgs extends Partial<PageArgs> {
  filter?: MeetingFilter | null;
  orderBy?: MeetingOrder[] | null;
  /** What the query selects on the connection: parts read with the page, and totalCount. */
  selection?: MeetingSelection;
}

/** The meeting table's columns under the client's field names, for alias `m`. */
const MEETING_COLUMNS = Prisma.sql`m.id, m.slug, m.title, m.kind, m.track, m.mode, m.start_date AS "startDate",
  m.end_date AS "endDate", m.date_precision AS "datePrecision", m.period_end AS "periodEnd", m.city, m.region,
  m.country, m.country_code AS "countryCode", m.venue, m.summary, m.uncertain, m.uncertainty_notes AS "uncertaintyNotes",
  m.version, m.trip_id AS "tripId"`;

const SORT_COLUMNS = {
  startDate: { column: 'start_date', type: 'date' },
  title: { column: 'title', type: 'text' },
} as const;

/** What a list is narrowed to before the filter, e.g. a channel's meetings. */
export interface MeetingScope {
  /** Condition on alias `m`. */
  where: Prisma.Sql;
  /**
   * A cheaper statement for the number of meetings in scope, used when no filter narrows it
   * further (`SELECT count(*)::int AS n …`): a channel's meetings are counted from its links
   * alone, an index-only scan, instead of joining every meeting to them.
   */
  count?: Prisma.Sql;
}

const EVERYTHING: MeetingScope = { where: Prisma.sql`TRUE` };

/** A page of meetings in `scope`, filtered, ordered and paged as `args` say. */
export async function listMeetings(deps: Deps, args: MeetingListArgs, scope: MeetingScope = EVERYTHING): Promise<Connection<MeetingRow>> {
  const orders = [...new Set(args.orderBy?.length ? args.orderBy : [MeetingOrder.START_DATE_DESC])];
  const fields = new Set<string>();
  const orderKeys = orders.map((order) => ORDER_KEYS[order]).filter((key) => !fields.has(key.field) && fields.add(key.field));
  const keys: (SqlSortKey & { field: 'startDate' | 'title' | 'id' })[] = orderKeys.map((key) => ({
    field: key.field,
    desc: key.desc,
    type: SORT_COLUMNS[key.field].type,
    column: column('m', SORT_COLUMNS[key.field].column),
  }));
  keys.push({ field: 'id', desc: keys[0].desc, type: 'int', column: column('m', 'id') });
  const signature = `meetings:${orders.join(',')}`;
  const page = pageRequest(args, signature, keys.length);

  const where = Prisma.sql`${scope.where} AND ${await meetingFilterSql(deps, args.filter, alias('m'), new Aliases())}`;
  const countSql = scope.count && isEmptyFilter(args.filter) ? scope.count : Prisma.sql`SELECT count(*)::int AS n FROM meeting m WHERE ${where}`;
  const pageWhere = page.cursor ? Prisma.sql`${where} AND ${keysetSql(keys, page.cursor, page.backward)}` : where;
  const parts = args.selection?.parts ?? new Set();
  const countIt = args.selection?.totalCount ?? false;
  // The page's rows in `p` (the parts' subqueries refer to p.id), each with its selected parts.
  // With totalCount the count is the statement's first relation, so an empty page still yields
  // one row carrying it (with a null id).
  const pageRows = Prisma.sql`(SELECT ${MEETING_COLUMNS} FROM meeting m WHERE ${pageWhere}
      ORDER BY ${orderBySql(keys, page.backward)} LIMIT ${page.take + 1}) p`;
  const select = Prisma.join([Prisma.sql`p.*`, ...partColumns(parts)]);
  const outerOrder = Prisma.join(
    keys.map((key) => Prisma.sql`p.${label(key.field)} ${direction(key.desc !== page.backward)}`),
  );
  type Row = MeetingRow & Record<string, unknown> & { totalCount?: number };
  const rows = countIt
    ? await deps.prisma.$queryRaw<Row[]>`SELECT ${select}, total.n AS "totalCount"
        FROM (${countSql}) total LEFT JOIN ${pageRows} ON TRUE
        ORDER BY ${outerOrder}`
    : await deps.prisma.$queryRaw<Row[]>`SELECT ${select} FROM ${pageRows} ORDER BY ${outerOrder}`;
  const total = countIt ? (rows[0]?.totalCount ?? 0) : undefined;
  const meetings = rows.filter((row) => row.id !== null);
  keepParts(deps, meetings.slice(0, page.take), parts);

  const cursorOf = (row: MeetingRow) =>
    encodeCursor(
      signature,
      keys.map((key) => {
        const value = row[key.field];
        return value instanceof Date ? value.toISOString().slice(0, 10) : value;
      }),
    );
  return toConnection(meetings as MeetingRow[], page, cursorOf, async () => {
    if (total !== undefined) return total;
    const [{ n }] = await deps.prisma.$queryRaw<{ n: number }[]>`${countSql}`;
    return n;
  });
}

/** True when a filter sets no condition at all: absent, or only `and`/`not` lists of such filters. */
function isEmptyFilter(filter: MeetingFilter | null | undefined): boolean {
  if (filter == null) return true;
  return Object.entries(filter).every(([key, value]) => {
    if (value == null) return true;
    // An empty `or` matches nothing, so it is a condition; empty `and`/`not` are not.
    if (key === 'and' || key === 'not') return (value as MeetingFilter[]).every(isEmptyFilter);
    return false;
  });
}

export function meetingBySlug(deps: Deps, slug: string): Promise<MeetingRow | null> {
  return deps.prisma.meeting.findUnique({ where: { slug } });
}
