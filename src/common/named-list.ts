/**
 * People and organisations are listed the same way: by name A to Z, paged by (name, id),
 * optionally narrowed to names containing a search string (trigram-indexed ILIKE). One definition
 * (namedList) serves the planner and execution (listByName).
 */
import type { PrismaClient } from '../generated/prisma/client';
import { column, identifier, rowLimit, type Sql, sql } from '../db/sql';
import {
  encodeCursor,
  keysetSql,
  orderBySql,
  pageRequest,
  toConnection,
  type Connection,
  type ForwardPageArgs,
  type PageRequest,
  type SqlSortKey,
} from './pagination';

const KEYS: SqlSortKey[] = [
  { column: column('t', 'name'), desc: false, type: 'text' },
  { column: column('t', 'id'), desc: false, type: 'int' },
];

/** `%`, `_` and `\` match literally in the search string, as a user typing them means. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export type NamedTable = 'person' | 'organization';

export interface NamedList {
  page: PageRequest;
  signature: string;
  keys: { name: string; desc: boolean }[];
  /** The page's candidate rows (id, slug, name; LIMIT take + 1). */
  rows: Sql;
  count: Sql;
}

export function namedList(table: NamedTable, args: Partial<ForwardPageArgs> & { search?: string | null }): NamedList {
  const signature = table === 'person' ? 'people' : 'organizations';
  const page = pageRequest(args, signature, KEYS.length);
  const where = args.search ? sql`t.name ILIKE ${likePattern(args.search)}` : sql`TRUE`;
  return {
    page,
    signature,
    keys: [
      { name: 'name', desc: false },
      { name: 'id', desc: false },
    ],
    rows: sql`SELECT t.id, t.slug, t.name FROM ${identifier(table)} t
      WHERE ${where} ${page.cursor ? sql`AND ${keysetSql(KEYS, page.cursor, false)}` : sql``}
      ORDER BY ${orderBySql(KEYS, false)} LIMIT ${rowLimit(page.take + 1)}`,
    count: sql`SELECT count(*)::int AS n FROM ${identifier(table)} t WHERE ${where}`,
  };
}

export async function listByName<R extends { id: number; name: string }>(
  prisma: PrismaClient,
  table: NamedTable,
  args: Partial<ForwardPageArgs> & { search?: string | null },
): Promise<Connection<R>> {
  const list = namedList(table, args);
  const rows = await prisma.$queryRaw<R[]>`${list.rows}`;
  return toConnection(
    rows,
    list.page,
    (row) => encodeCursor(list.signature, [row.name, row.id]),
    async () => {
      const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`${list.count}`;
      return n;
    },
  );
}
