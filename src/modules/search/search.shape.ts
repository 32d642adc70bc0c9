/**
 * Search in SQL, for the read planner: the ranked hits as a connection, each hit's node read by
 * its kind. The hits are the very statement execution runs (search.service.ts).
 */
import { join, sql } from '../../db/sql';
import { connectionJson, orderOn } from '../../planner/connection';
import { scalar } from '../../planner/fields';
import { cursor } from '../../planner/json';
import type { TypeShape } from '../../planner/planner';
import type { MeetingFilter } from '../filters/filters.input';
import { searchStatement } from './search.service';
import type { SearchKind } from './search.types';

const NODES = {
  MEETING: ['Meeting', 'meeting'],
  OUTCOME: ['Outcome', 'outcome'],
  PERSON: ['Person', 'person'],
  ORGANIZATION: ['Organization', 'organization'],
} as const;

export const searchShapes: TypeShape[] = [
  {
    type: 'Query',
    fields: {
      search: async ({ planner, args, sets }) => {
        const statement = await searchStatement(planner.deps, {
          ...args,
          query: args.query as string,
          filter: args.filter as MeetingFilter | null,
          kinds: args.kinds as SearchKind[] | null,
        });
        const connection = await connectionJson(planner, sets, {
          connectionType: 'SearchConnection',
          nodeType: 'SearchHit',
          edgeType: 'SearchEdge',
          page: statement.page,
          rows: statement.rows,
          order: (row) =>
            orderOn(
              row,
              [
                { name: 'score', desc: true },
                { name: 'kind', desc: false },
                { name: 'id', desc: false },
              ],
              false,
            ),
          // The score as a numeric: float8 prints 0.000001 as 1e-06, JavaScript (which makes the executed cursors) as 0.000001.
          cursor: (row) => cursor(statement.signature, [sql`${row}.score::numeric`, sql`${row}.kind`, sql`${row}.id`]),
          count: statement.count,
        });
        return sql`(${statement.prefix} SELECT ${connection})`;
      },
    },
  },
  {
    type: 'SearchHit',
    fields: {
      kind: scalar('kind'),
      score: scalar('score'),
      snippet: scalar('snippet'),
      node: async ({ row, sets, planner }) => {
        const branches = await Promise.all(
          Object.entries(NODES).map(
            async ([kind, [type, table]]) => sql`WHEN ${kind}::text THEN ${await planner.byId(type, table, sql`${row}.id`, sets)}`,
          ),
        );
        return sql`CASE ${row}.kind ${join(branches, ' ')} END`;
      },
    },
  },
];
