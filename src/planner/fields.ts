/** Field compilers that many shapes share. */
import { identifier, sql, type Sql } from '../db/sql';
import { globalId, jsonList } from './json';
import type { FieldCompiler, FieldRequest } from './planner';

/** A column of the row, as its JSON value (enums are their labels, which are the GraphQL names). */
export const scalar =
  (columnName: string): FieldCompiler =>
  ({ row }) =>
    sql`${row}.${identifier(columnName)}`;

/** The row's global id. */
export const nodeId =
  (type: string): FieldCompiler =>
  ({ row }) =>
    globalId(type, sql`${row}.id`);

/**
 * A list of objects of `type` from a table: `from` receives a fresh alias for the rows and returns
 * `FROM … WHERE …` (correlated with the parent row); `order` is on the same alias.
 */
export function listOf(
  type: string,
  prefix: string,
  from: (item: Sql, request: FieldRequest) => Sql,
  order: (item: Sql) => Sql,
): FieldCompiler {
  return async (request) => {
    const item = request.planner.alias(prefix);
    const element = await request.planner.object(type, request.sets, item);
    return jsonList(element, from(item, request), order(item));
  };
}

/** One object of `type` from `table` by the id the parent row holds in `column`; null when it has none. */
export function oneOf(type: string, table: string, foreignKey: string): FieldCompiler {
  return ({ row, sets, planner }) => planner.byId(type, table, sql`${row}.${identifier(foreignKey)}`, sets);
}
