/**
 * The one keyset builder: the SQL condition for rows strictly after a cursor, and the ORDER BY
 * that goes with it. It checks the cursor's values against their columns' types first, so a
 * forged cursor is BAD_USER_INPUT, never a SQL error.
 */
import { badUserInput } from '../errors';
import { after, cast, direction, join, sql, type Sql, type SqlType } from '../../db/sql';
import type { CursorValue } from './cursor';

/** A sort key of a list: the column expression and the type its cursor value must have. */
export interface SqlSortKey {
  column: Sql;
  desc: boolean;
  type: Extract<SqlType, 'date' | 'text' | 'int' | 'float8'>;
}

/**
 * Rows strictly after `cursor` in the given order. When every key runs the same way it is one row
 * comparison, `(k1, k2, id) < (v1, v2, v3)`, which PostgreSQL matches against a composite index;
 * mixed directions expand to `k1 < v1 OR (k1 = v1 AND k2 > v2) OR …`.
 */
export function keysetSql(keys: SqlSortKey[], cursor: CursorValue[], backward: boolean): Sql {
  checkCursorValues(
    keys.map((key) => key.type),
    cursor,
    backward,
  );
  const value = (index: number) => cast(cursor[index], keys[index].type);
  const op = (key: SqlSortKey) => after(key.desc !== backward);
  if (keys.every((key) => key.desc === keys[0].desc)) {
    return sql`(${join(keys.map((k) => k.column))}) ${op(keys[0])} (${join(keys.map((_, i) => value(i)))})`;
  }
  const branches = keys.map((key, index) => {
    const equal = keys.slice(0, index).map((prev, j) => sql`${prev.column} = ${value(j)}`);
    return sql`(${join([...equal, sql`${key.column} ${op(key)} ${value(index)}`], ' AND ')})`;
  });
  return sql`(${join(branches, ' OR ')})`;
}

/**
 * A cursor is client input: a value of the wrong shape or out of its column's range is refused
 * here, rather than failing as a SQL cast error.
 */
function checkCursorValues(types: string[], cursor: CursorValue[], backward: boolean): void {
  types.forEach((type, index) => {
    if (!CURSOR_VALUE_CHECKS[type]?.(cursor[index]))
      throw badUserInput(backward ? 'before' : 'after', 'is not a cursor issued by this API');
  });
}

/** What each SQL type accepts, as PostgreSQL would. */
const CURSOR_VALUE_CHECKS: Record<string, (value: CursorValue) => boolean> = {
  // Date.parse('2023-02-31') is a valid time (3 March); PostgreSQL refuses the text.
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v,
  text: (v) => typeof v === 'string' && v.length <= MAX_CURSOR_TEXT && !v.includes('\u0000'),
  int: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  float8: (v) => typeof v === 'number' && Number.isFinite(v),
};

/** Longest text value a cursor may carry (a title is far shorter). */
const MAX_CURSOR_TEXT = 1_000;

/** ORDER BY for sort keys, reversed when paging backwards. */
export function orderBySql(keys: SqlSortKey[], backward: boolean): Sql {
  return join(keys.map((key) => sql`${key.column} ${direction(key.desc !== backward)}`));
}
