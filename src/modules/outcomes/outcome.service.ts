/**
 * Reading outcomes: filters and keyset pages, in SQL (the filter is stats/filter.sql.ts, shared
 * with meetings, stats and search).
 */
import type { Outcome as OutcomeRow } from '../../generated/prisma/client';
import { Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { encodeCursor, keysetSql, orderBySql, pageRequest, toConnection, type Connection, type PageArgs, type SqlSortKey } from '../../common/pagination';
import { Aliases, outcomeFilterSql } from '../filters/filter.sql';
import type { OutcomeFilter } from '../filters/filters.input';
import { alias, column } from '../../db/sql';

export type { OutcomeRow };
type Deps = Pick<Context, 'prisma' | 'loaders'>;
type OutcomeWithDate = OutcomeRow & { startDate: Date };

// Newest meeting first; within a meeting, the order its record lists the outcomes.
const KEYS: SqlSortKey[] = [
  { column: column('m', 'start_date'), desc: true, type: 'date' },
  { column: column('o', 'meeting_id'), desc: true, type: 'int' },
  { column: column('o', 'position'), desc: false, type: 'int' },
];

/** A page of outcomes; `scope` is a condition on alias `o` (a channel's outcomes). */
export async function listOutcomes(
  deps: Deps,
  args: Partial<PageArgs> & { filter?: OutcomeFilter | null },
  scope: Prisma.Sql = Prisma.sql`TRUE`,
): Promise<Connection<OutcomeRow>> {
  const signature = 'outcomes';
  const page = pageRequest(args, signature, KEYS.length);
  const where = Prisma.sql`${scope} AND ${await outcomeFilterSql(deps, args.filter, alias('o'), alias('m'), new Aliases())}`;
  const rows = await deps.prisma.$queryRaw<OutcomeWithDate[]>`
    SELECT o.id, o.meeting_id AS "meetingId", o.channel_id AS "channelId", o.position, o.description, o.status, o.note,
      m.start_date AS "startDate"
    FROM outcome o JOIN meeting m ON m.id = o.meeting_id
    WHERE ${page.cursor ? Prisma.sql`${where} AND ${keysetSql(KEYS, page.cursor, page.backward)}` : where}
    ORDER BY ${orderBySql(KEYS, page.backward)} LIMIT ${page.take + 1}`;
  const cursorOf = (row: OutcomeWithDate) =>
    encodeCursor(signature, [row.startDate.toISOString().slice(0, 10), row.meetingId, row.position]);
  return toConnection(rows, page, cursorOf, async () => {
    const [{ n }] = await deps.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM outcome o JOIN meeting m ON m.id = o.meeting_id WHERE ${where}`;
    return n;
  });
}
