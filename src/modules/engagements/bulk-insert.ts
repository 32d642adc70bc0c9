/**
 * Bulk writes for the importer: one statement per table per chunk of rows, the rows travelling
 * as ONE JSON parameter that PostgreSQL expands with json_populate_recordset(NULL::table, …).
 *
 * With Prisma's createMany, the client's CPU time serialising the arguments value by value (its
 * query compiler sees every one) was almost all of a large import: about 6.6 ms per record. A
 * JSON string is one value whatever the number of rows. The table's own row type does the
 * conversions: enum labels, dates ("2024-06-01" or an ISO timestamp), char(n), jsonb (a nested
 * object; JSON null is SQL NULL).
 *
 * Rows are objects keyed by Prisma field names (camelCase); the column is the snake_case of the
 * key, which is how every @map in prisma/schema.prisma is spelt. All rows of a call must have
 * the keys of the first (they are built by one mapper): a key missing from a row is written as
 * NULL, not as the column's default. Columns no key names keep their defaults.
 */
import { Prisma } from '../../generated/prisma/client';
import { cast, column, empty, fragment, identifier, join, sql } from '../../db/sql';

type Tx = Prisma.TransactionClient;
export type Row = Record<string, unknown>;

/** Rows per statement: keeps the JSON parameter to a few megabytes (an audit row holds two records). */
export const BULK_CHUNK_ROWS = 5000;

/** `meetingId` → `meeting_id` (identifier() in db/sql.ts refuses anything that is not a plain name). */
export function columnName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The rows in chunks of BULK_CHUNK_ROWS, each as the JSON array json_populate_recordset reads:
 * objects keyed by column name (it matches keys to the row type's columns by name).
 */
function* jsonChunks(rows: Row[], keys: string[], columns: string[]): Generator<string> {
  for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) {
    const chunk = rows.slice(start, start + BULK_CHUNK_ROWS).map((row) => {
      const out: Row = {};
      for (let i = 0; i < keys.length; i += 1) out[columns[i]] = row[keys[i]];
      return out;
    });
    yield JSON.stringify(chunk);
  }
}

export interface BulkInsertOptions {
  /** ON CONFLICT DO NOTHING (Prisma's skipDuplicates). */
  skipDuplicates?: boolean;
  /** Columns to return for the inserted rows (snake_case names). */
  returning?: string[];
  /**
   * Rows carry JSON documents for jsonb columns: the parameter is then read as jsonb, parsed
   * once, instead of as json, whose nested documents are parsed again for each jsonb value.
   */
  jsonb?: boolean;
}

/**
 * INSERT INTO table (columns of the rows' keys) SELECT … FROM json_populate_recordset, in
 * chunks. Rows are inserted in array order (so serial ids follow it, as with createMany).
 * Returns the RETURNING rows of every chunk, or [] without `returning`.
 */
export async function bulkInsert<R = Row>(tx: Tx, table: string, rows: Row[], options: BulkInsertOptions = {}): Promise<R[]> {
  if (rows.length === 0) return [];
  const keys = Object.keys(rows[0]);
  const names = keys.map(columnName);
  const columns = join(names.map(identifier));
  const recordset = options.jsonb ? fragment`jsonb_populate_recordset` : fragment`json_populate_recordset`;
  const statement = (json: string) => sql`INSERT INTO ${identifier(table)} (${columns})
    SELECT ${columns} FROM ${recordset}(NULL::${identifier(table)}, ${cast(json, options.jsonb ? 'jsonb' : 'json')})
    WITH ORDINALITY AS r ORDER BY r.ordinality
    ${options.skipDuplicates ? fragment`ON CONFLICT DO NOTHING` : empty}
    ${options.returning?.length ? sql`RETURNING ${join(options.returning.map(identifier))}` : empty}`;
  const returned: R[] = [];
  for (const json of jsonChunks(rows, keys, names)) {
    if (options.returning?.length) returned.push(...(await tx.$queryRaw<R[]>(statement(json))));
    else await tx.$executeRaw(statement(json));
  }
  return returned;
}

export interface BulkUpdateOptions {
  /** Also adds one to each updated row's `version` (optimistic locking: every write counts). */
  incrementVersion?: boolean;
  /** Leave rows whose given columns already hold the given values alone. */
  onlyChanged?: boolean;
}

/**
 * UPDATE table t SET (every other key's column) = the row's value FROM json_populate_recordset
 * WHERE the `match` columns equal, in chunks. Rows matching nothing are ignored.
 */
export async function bulkUpdate(tx: Tx, table: string, match: string[], rows: Row[], options: BulkUpdateOptions = {}): Promise<void> {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const names = keys.map(columnName);
  const matched = match.map(columnName);
  const set = names.filter((c) => !matched.includes(c));
  if (matched.some((c) => !names.includes(c))) throw new Error(`bulk update of ${table}: rows lack a match column`);
  const assignments = set.map((c) => sql`${identifier(c)} = ${column('r', c)}`);
  if (options.incrementVersion) assignments.push(sql`${identifier('version')} = ${column('t', 'version')} + 1`);
  if (assignments.length === 0) return;
  const where = matched.map((c) => sql`${column('t', c)} = ${column('r', c)}`);
  if (options.onlyChanged && set.length) {
    where.push(sql`ROW(${join(set.map((c) => column('t', c)))}) IS DISTINCT FROM ROW(${join(set.map((c) => column('r', c)))})`);
  }
  for (const json of jsonChunks(rows, keys, names)) {
    await tx.$executeRaw`UPDATE ${identifier(table)} AS t SET ${join(assignments)}
      FROM json_populate_recordset(NULL::${identifier(table)}, ${cast(json, 'json')}) AS r WHERE ${join(where, ' AND ')}`;
  }
}
