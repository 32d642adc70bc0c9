/**
 * A Relay connection in SQL: one subquery that reads the page's candidate rows (take + 1 of
 * them, in order), numbers them, and builds `edges`, `pageInfo` and `totalCount` from them — only
 * the parts the query selects. The same page rules as pagination/connection.ts (toConnection):
 * the extra row only says whether more exist; backward pages are read in reverse and flipped.
 */
import type { SelectionSetNode } from 'graphql';
import { column, direction, join, rowLimit, type Sql, sql } from '../db/sql';
import type { PageRequest } from '../common/pagination';
import { jsonObject } from './json';
import { Unplannable, type Planner } from './planner';
import { selectFields } from './selection';

export interface ConnectionSource {
  /** e.g. MeetingConnection. */
  connectionType: string;
  /** The type of the edges' nodes, e.g. Meeting. */
  nodeType: string;
  /** The edge type; default `${nodeType}Edge`. */
  edgeType?: string;
  page: PageRequest;
  /** The candidate rows, ordered and limited (LIMIT take + 1). */
  rows: Sql;
  /** Their order again, on the rows' alias, for numbering them (cheap: take + 1 rows at most). */
  order: (row: string) => Sql;
  /** The cursor of a row (text), as encodeCursor would make it. */
  cursor: (row: Sql) => Sql;
  /** A statement `SELECT count(*)::int AS n …` for totalCount. */
  count: Sql;
}

export async function connectionJson(planner: Planner, sets: readonly SelectionSetNode[], source: ConnectionSource): Promise<Sql> {
  const { page } = source;
  const q = planner.alias('q');
  const agg = planner.alias('a');
  const inner = planner.alias('x');
  const innerColumns: Sql[] = [sql`count(*)::int AS k`];
  const entries: [string, Sql][] = [];
  const onPage = sql`${q}.n <= ${rowLimit(page.take)}`;
  const outputOrder = sql`${q}.n ${direction(page.backward)}`;
  let cursorsColumn: Sql | undefined;
  const cursors = () => {
    if (!cursorsColumn) {
      cursorsColumn = planner.alias('c');
      innerColumns.push(sql`array_agg(${source.cursor(q)} ORDER BY ${q}.n) FILTER (WHERE ${onPage}) AS ${cursorsColumn}`);
    }
    return sql`${agg}.${cursorsColumn}`;
  };
  const more = sql`(${agg}.k > ${page.take})`;
  const hadCursor = sql`${page.cursor !== null}::boolean`;

  for (const field of selectFields(planner.scope, planner.typeNamed(source.connectionType), sets)) {
    if (field.name === '__typename') {
      entries.push([field.key, sql`${source.connectionType}::text`]);
    } else if (field.name === 'totalCount') {
      entries.push([field.key, sql`(${source.count})`]);
    } else if (field.name === 'edges') {
      const edgeType = source.edgeType ?? `${source.nodeType}Edge`;
      const edge: [string, Sql][] = [];
      for (const part of selectFields(planner.scope, planner.typeNamed(edgeType), field.sets)) {
        if (part.name === '__typename') edge.push([part.key, sql`${edgeType}::text`]);
        else if (part.name === 'cursor') edge.push([part.key, source.cursor(q)]);
        else if (part.name === 'node') edge.push([part.key, await planner.object(source.nodeType, part.sets, q)]);
        else throw new Unplannable(`${edgeType}.${part.name}`);
      }
      const edges = planner.alias('e');
      innerColumns.push(
        sql`coalesce(json_agg(${jsonObject(edge)} ORDER BY ${outputOrder}) FILTER (WHERE ${onPage}), '[]'::json) AS ${edges}`,
      );
      entries.push([field.key, sql`${agg}.${edges}`]);
    } else if (field.name === 'pageInfo') {
      const info: [string, Sql][] = [];
      for (const part of selectFields(planner.scope, planner.typeNamed('PageInfo'), field.sets)) {
        const first = () => sql`${cursors()}[1]`;
        const last = () => sql`${cursors()}[array_length(${cursors()}, 1)]`;
        if (part.name === '__typename') info.push([part.key, sql`'PageInfo'::text`]);
        else if (part.name === 'hasNextPage') info.push([part.key, page.backward ? hadCursor : more]);
        else if (part.name === 'hasPreviousPage') info.push([part.key, page.backward ? more : hadCursor]);
        else if (part.name === 'startCursor') info.push([part.key, page.backward ? last() : first()]);
        else if (part.name === 'endCursor') info.push([part.key, page.backward ? first() : last()]);
        else throw new Unplannable(`PageInfo.${part.name}`);
      }
      entries.push([field.key, jsonObject(info)]);
    } else {
      throw new Unplannable(`${source.connectionType}.${field.name}`);
    }
  }
  const numbered = sql`SELECT ${inner}.*, row_number() OVER (ORDER BY ${source.order(innerName(inner))}) AS n FROM (${source.rows}) ${inner}`;
  return sql`(SELECT ${jsonObject(entries)} FROM (SELECT ${join(innerColumns)} FROM (${numbered}) ${q}) ${agg})`;
}

/** The plain name of an alias made by planner.alias (its text). */
function innerName(alias: Sql): string {
  return alias.text;
}

/** `row.name DESC, …`: sort keys on another alias. */
export function orderOn(row: string, keys: { name: string; desc: boolean }[], backward: boolean): Sql {
  return join(keys.map((key) => sql`${column(row, key.name)} ${direction(key.desc !== backward)}`));
}
