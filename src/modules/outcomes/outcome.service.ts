/**
 * Reading outcomes: filters and keyset pages, in SQL (the filter is filters/filter.sql.ts, shared
 * with meetings, stats and search). One definition of a list (outcomeList) serves the planner
 * (outcome.shape.ts) and execution (listOutcomes).
 */
import type { Outcome as OutcomeRow } from '../../generated/prisma/client';
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
import { Aliases, outcomeFilterCondition } from '../filters/filter.sql';
import type { OutcomeFilter } from '../filters/filters.input';
import { alias, column, rowLimit, type Sql, sql } from '../../db/sql';

export type { OutcomeRow };
type Deps = Pick<Context, 'prisma' | 'loaders'>;

// Newest meeting first; within a meeting, the order its record lists the outcomes.
const KEYS: SqlSortKey[] = [
  { column: column('m', 'start_date'), desc: true, type: 'date' },
  { column: column('o', 'meeting_id'), desc: true, type: 'int' },
  { column: column('o', 'position'), desc: false, type: 'int' },
];

/** One page of a list of outcomes, as SQL: what both the planner and listOutcomes run. */
export interface OutcomeList {
  page: PageRequest;
  signature: string;
  /** Sort keys, with the names of their columns in `rows`. */
  keys: { name: string; desc: boolean }[];
  /** The page's candidate rows: the outcome's columns and its meeting's start date (LIMIT take + 1). */
  rows: Sql;
  /** `SELECT count(*)::int AS n …` for totalCount. */
  count: Sql;
}

/** `scope` is a condition on alias `o` (a channel's outcomes). */
export async function outcomeList(
  deps: Deps,
  args: Partial<PageArgs> & { filter?: OutcomeFilter | null },
  scope: Sql = sql`TRUE`,
): Promise<OutcomeList> {
  const signature = 'outcomes';
  const page = pageRequest(args, signature, KEYS.length);
  const filter = await outcomeFilterCondition(deps, args.filter, alias('o'), alias('m'), new Aliases());
  const where = sql`${scope} AND ${filter.condition}`;
  return {
    page,
    signature,
    keys: [
      { name: 'meeting_start_date', desc: true },
      { name: 'meeting_id', desc: true },
      { name: 'position', desc: false },
    ],
    rows: sql`SELECT o.*, m.start_date AS meeting_start_date
      FROM outcome o JOIN meeting m ON m.id = o.meeting_id
      WHERE ${page.cursor ? sql`${where} AND ${keysetSql(KEYS, page.cursor, page.backward)}` : where}
      ORDER BY ${orderBySql(KEYS, page.backward)} LIMIT ${rowLimit(page.take + 1)}`,
    // Joined only when the filter reads the meeting (outcomeFilterCondition says why).
    count: filter.readsMeeting
      ? sql`SELECT count(*)::int AS n FROM outcome o JOIN meeting m ON m.id = o.meeting_id WHERE ${where}`
      : sql`SELECT count(*)::int AS n FROM outcome o WHERE ${where}`,
  };
}

type OutcomeListRow = Omit<OutcomeRow, 'meetingId' | 'channelId'> & { meeting_id: number; channel_id: number; meeting_start_date: Date };

/** A page of outcomes (execution's way); `scope` is a condition on alias `o`. */
export async function listOutcomes(
  deps: Deps,
  args: Partial<PageArgs> & { filter?: OutcomeFilter | null },
  scope: Sql = sql`TRUE`,
): Promise<Connection<OutcomeRow>> {
  const list = await outcomeList(deps, args, scope);
  const rows = (await deps.prisma.$queryRaw<OutcomeListRow[]>`${list.rows}`).map(
    ({ meeting_id, channel_id, meeting_start_date, ...rest }) => ({
      ...rest,
      meetingId: meeting_id,
      channelId: channel_id,
      startDate: meeting_start_date,
    }),
  );
  const cursorOf = (row: (typeof rows)[number]) =>
    encodeCursor(list.signature, [row.startDate.toISOString().slice(0, 10), row.meetingId, row.position]);
  return toConnection(rows, list.page, cursorOf, async () => {
    const [{ n }] = await deps.prisma.$queryRaw<{ n: number }[]>`${list.count}`;
    return n;
  });
}
