/**
 * Reading meetings: filters, ordering and keyset pages. One definition of a list of meetings
 * (meetingList) serves both ways of answering: the read planner compiles it into its statement
 * (meeting.shape.ts), and execution reads its rows (listMeetings) when an operation is not planned.
 * The filter is the same SQL that stats and search use (filters/filter.sql.ts).
 */
import type { Meeting } from '../../generated/prisma/client';
import type { Context } from '../../context';
import {
  encodeCursor,
  keysetSql,
  orderBySql,
  pageRequest,
  toConnection,
  type Connection,
  type PageArgs,
  type PageRequest,
  type SqlSortKey,
} from '../../common/pagination';
import { alias, column, rowLimit, type Sql, sql } from '../../db/sql';
import { Aliases, meetingFilterSql } from '../filters/filter.sql';
import type { MeetingFilter } from '../filters/filters.input';
import { MeetingOrder, ORDER_KEYS } from './meeting-order.enum';

/** A meeting as resolvers see it; its bookkeeping timestamps are not part of the API. */
export type MeetingRow = Omit<Meeting, 'createdAt' | 'updatedAt'>;
type Deps = Pick<Context, 'prisma' | 'loaders'>;

export interface MeetingListArgs extends Partial<PageArgs> {
  filter?: MeetingFilter | null;
  orderBy?: MeetingOrder[] | null;
}

/** The meeting table's columns under the client's field names, for alias `m`. */
const MEETING_COLUMNS = sql`m.id, m.slug, m.title, m.kind, m.track, m.mode, m.start_date AS "startDate",
  m.end_date AS "endDate", m.date_precision AS "datePrecision", m.period_end AS "periodEnd", m.city, m.region,
  m.country, m.country_code AS "countryCode", m.venue, m.summary, m.uncertain, m.uncertainty_notes AS "uncertaintyNotes",
  m.version, m.trip_id AS "tripId"`;

/** Every column a meeting shape reads, for pages built in SQL (the search document is left out: it is large). */
export const MEETING_ROW = sql`m.id, m.slug, m.title, m.kind, m.track, m.mode, m.start_date, m.end_date, m.date_precision,
  m.period_end, m.city, m.region, m.country, m.country_code, m.venue, m.summary, m.uncertain, m.uncertainty_notes,
  m.version, m.trip_id`;

const SORT_COLUMNS = {
  startDate: { column: 'start_date', type: 'date' },
  title: { column: 'title', type: 'text' },
  id: { column: 'id', type: 'int' },
} as const;

/** What a list is narrowed to before the filter, e.g. a channel's meetings. */
export interface MeetingScope {
  /** Condition on alias `m`. */
  where: Sql;
  /**
   * A cheaper statement for the number of meetings in scope, used when no filter narrows it
   * further (`SELECT count(*)::int AS n …`): a channel's meetings are counted from its links
   * alone, an index-only scan, instead of joining every meeting to them.
   */
  count?: Sql;
}

const EVERYTHING: MeetingScope = { where: sql`TRUE` };

/** One page of a list of meetings, as SQL: what both the planner and listMeetings run. */
export interface MeetingList {
  page: PageRequest;
  /** The cursor's first element: the list and its ordering, so cursors of other lists are refused. */
  signature: string;
  /** Sort keys, the last one the id; each with the name of its column. */
  keys: (SqlSortKey & { name: 'start_date' | 'title' | 'id'; field: 'startDate' | 'title' | 'id' })[];
  /** The filtered rows of alias `m`, cursor excluded. */
  where: Sql;
  /** The page's candidate rows (LIMIT take + 1, so that one more tells whether more follow), `columns` of alias `m`. */
  rows(columns: Sql): Sql;
  /** `SELECT count(*)::int AS n …` for totalCount. */
  count: Sql;
}

export async function meetingList(deps: Deps, args: MeetingListArgs, scope: MeetingScope = EVERYTHING): Promise<MeetingList> {
  const orders = [...new Set(args.orderBy?.length ? args.orderBy : [MeetingOrder.START_DATE_DESC])];
  const fields = new Set<string>();
  const orderKeys = orders.map((order) => ORDER_KEYS[order]).filter((key) => !fields.has(key.field) && fields.add(key.field));
  const keys: MeetingList['keys'] = orderKeys.map((key) => ({
    field: key.field,
    name: SORT_COLUMNS[key.field].column,
    desc: key.desc,
    type: SORT_COLUMNS[key.field].type,
    column: column('m', SORT_COLUMNS[key.field].column),
  }));
  keys.push({ field: 'id', name: 'id', desc: keys[0].desc, type: 'int', column: column('m', 'id') });
  const signature = `meetings:${orders.join(',')}`;
  const page = pageRequest(args, signature, keys.length);
  const where = sql`${scope.where} AND ${await meetingFilterSql(deps, args.filter, alias('m'), new Aliases())}`;
  const count = scope.count && isEmptyFilter(args.filter) ? scope.count : sql`SELECT count(*)::int AS n FROM meeting m WHERE ${where}`;
  const pageWhere = page.cursor ? sql`${where} AND ${keysetSql(keys, page.cursor, page.backward)}` : where;
  return {
    page,
    signature,
    keys,
    where,
    count,
    rows: (columns) =>
      sql`SELECT ${columns} FROM meeting m WHERE ${pageWhere} ORDER BY ${orderBySql(keys, page.backward)} LIMIT ${rowLimit(page.take + 1)}`,
  };
}

/** The page's cursor for a row, from its sort-key values. */
export function meetingCursor(list: MeetingList, row: MeetingRow): string {
  return encodeCursor(
    list.signature,
    list.keys.map((key) => {
      const value = row[key.field];
      return value instanceof Date ? value.toISOString().slice(0, 10) : value;
    }),
  );
}

/** A page of meetings in `scope`, filtered, ordered and paged as `args` say (execution's way). */
export async function listMeetings(deps: Deps, args: MeetingListArgs, scope: MeetingScope = EVERYTHING): Promise<Connection<MeetingRow>> {
  const list = await meetingList(deps, args, scope);
  const rows = await deps.prisma.$queryRaw<MeetingRow[]>`${list.rows(MEETING_COLUMNS)}`;
  return toConnection(
    rows,
    list.page,
    (row) => meetingCursor(list, row),
    async () => {
      const [{ n }] = await deps.prisma.$queryRaw<{ n: number }[]>`${list.count}`;
      return n;
    },
  );
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
