import type { Change as ChangeRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { badUserInput } from '../../common/errors';
import {
  encodeCursor,
  keysetSql,
  orderBySql,
  pageRequest,
  toConnection,
  type ForwardPageArgs,
  type SqlSortKey,
} from '../../common/pagination';
import { column, join, rowLimit, type Sql, sql } from '../../db/sql';
import type { ChangeFilter } from './curation.types';

const KEYS: SqlSortKey[] = [{ column: column('c', 'id'), desc: true, type: 'int' }];

function instant(value: string, argumentName: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badUserInput(argumentName, `must be an ISO 8601 date or time, got "${value}"`);
  return date;
}

/** One page of the audit trail as SQL, for execution (listChanges) and the planner (curation.shape.ts). */
export function changeList(args: Partial<ForwardPageArgs> & { filter?: ChangeFilter | null }) {
  const page = pageRequest(args, 'changes', KEYS.length);
  const f = args.filter ?? {};
  const conditions: Sql[] = [sql`TRUE`];
  if (f.recordSlug != null) conditions.push(sql`c.record_slug = ${f.recordSlug}`);
  if (f.actor != null) conditions.push(sql`c.actor = ${f.actor}`);
  if (f.from != null) conditions.push(sql`c.at >= ${instant(f.from, 'filter.from')}`);
  if (f.to != null) conditions.push(sql`c.at < ${instant(f.to, 'filter.to')}`);
  const where = join(conditions, ' AND ');
  return {
    page,
    signature: 'changes',
    rows: sql`SELECT c.* FROM change c WHERE ${where} ${page.cursor ? sql`AND ${keysetSql(KEYS, page.cursor, false)}` : sql``}
      ORDER BY ${orderBySql(KEYS, false)} LIMIT ${rowLimit(page.take + 1)}`,
    count: sql`SELECT count(*)::int AS n FROM change c WHERE ${where}`,
  };
}

/** The audit trail, newest first. */
export async function listChanges(deps: Pick<Context, 'prisma'>, args: Partial<ForwardPageArgs> & { filter?: ChangeFilter | null }) {
  const list = changeList(args);
  const rows = await deps.prisma.$queryRaw<ChangeRow[]>`SELECT c.id, c.at, c.api_key_id AS "apiKeyId", c.actor, c.action::text AS action,
      c.record_type AS "recordType", c.record_slug AS "recordSlug", c.before, c.after
    FROM (${list.rows}) c ORDER BY c.id DESC`;
  return toConnection(
    rows,
    list.page,
    (row: ChangeRow) => encodeCursor(list.signature, [row.id]),
    async () => {
      const [{ n }] = await deps.prisma.$queryRaw<{ n: number }[]>`${list.count}`;
      return n;
    },
  );
}
