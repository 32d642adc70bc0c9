/** `node(id:)` in SQL, for the read planner: the id names the type, and the selection's fragments apply to it. */
import { fromGlobalId, type NodeTypeName } from '../../common/global-id';
import { sql } from '../../db/sql';
import type { TypeShape } from '../../planner/planner';

const TABLES: Record<NodeTypeName, 'meeting' | 'channel' | 'outcome' | 'person' | 'organization'> = {
  Meeting: 'meeting',
  Channel: 'channel',
  Outcome: 'outcome',
  Person: 'person',
  Organization: 'organization',
};

export const nodeShapes: TypeShape[] = [
  {
    type: 'Query',
    fields: {
      node: ({ planner, args, sets }) => {
        const decoded = fromGlobalId(args.id as string);
        if (!decoded) return sql`NULL::json`;
        return planner.byId(decoded.type, TABLES[decoded.type], sql`${decoded.id}::int`, sets);
      },
    },
  },
];
