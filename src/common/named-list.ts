/**
 * People and organisations are listed the same way: by name A to Z, paged by (name, id),
 * optionally narrowed to names containing a search string (trigram-indexed ILIKE).
 */
import type { PrismaClient } from '../generated/prisma/client';
import { column, identifier, sql } from '../db/sql';
import { encodeCursor, keysetSql, orderBySql, pageRequest, toConnection, type Connection, type ForwardPageArgs, type SqlSortKey } from './pagination';

const KEYS: SqlSortKey[] = [
  { column: column('t', 'name'), desc: false, type: 'text' },
  { column: column('t', 'id'), desc: false, type: 'int' },
];

/** `%`, `_` and `\` match literally in the search string, as a user typing them means. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listByName<R extends { id: number; name: string }>(
  prisma: PrismaClient,
  table: 'person' | 'organization',
  args: Partial<ForwardPageArgs> & { search?: string | null },
): Promise<Connection<R>> {
  const listName = table === 'person' ? 'people' : 'organizations';
  const page = pageRequest(args, listName, KEYS.length);
  const where = args.search ? sql`t.name ILIKE ${likePattern(args.search)}` : sql`TRUE`;
  const rows = await prisma.$queryRaw<R[]>`SELECT t.id, t.slug, t.name FROM ${identifier(table)} t
    WHERE ${where} ${page.cursor ? sql`AND ${keysetSql(KEYS, page.cursor, false)}` : sql``}
    ORDER BY ${orderBySql(KEYS, false)} LIMIT ${page.take + 1}`;
  return toConnection(rows, page, (row) => encodeCursor(listName, [row.name, row.id]), async () => {
    const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${identifier(table)} t WHERE ${where}`;
    return n;
  });
}
