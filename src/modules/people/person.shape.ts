/** People and participants in SQL, for the read planner. */
import { namedList } from '../../common/named-list';
import { listLimit, LIST_LIMITS } from '../../common/limits/list-bounds';
import { rowLimit, sql } from '../../db/sql';
import { connectionJson, orderOn } from '../../planner/connection';
import { listOf, nodeId, oneOf, scalar } from '../../planner/fields';
import { cursor, jsonList } from '../../planner/json';
import type { TypeShape } from '../../planner/planner';
import { lookup } from '../meetings/meeting.shape';

export const personShapes: TypeShape[] = [
  {
    type: 'Person',
    fields: {
      id: nodeId('Person'),
      slug: scalar('slug'),
      name: scalar('name'),
      participations: async ({ row, args, sets, planner }) => {
        const p = planner.alias('pp');
        const limit = listLimit(args.limit as number | null, LIST_LIMITS.participations);
        // Oldest meeting first, as the loader orders them.
        const rows = sql`(SELECT pa.*, pm.start_date AS meeting_start_date FROM participation pa JOIN meeting pm ON pm.id = pa.meeting_id
          WHERE pa.person_id = ${row}.id ORDER BY pm.start_date, pa.id LIMIT ${rowLimit(limit)}) ${p}`;
        return jsonList(await planner.object('Participant', sets, p), sql`FROM ${rows}`, sql`${p}.meeting_start_date, ${p}.id`);
      },
      participationCount: ({ row }) => sql`(SELECT count(*)::int FROM participation WHERE person_id = ${row}.id)`,
    },
  },
  {
    type: 'Participant',
    fields: {
      person: oneOf('Person', 'person', 'person_id'),
      delegation: scalar('delegation'),
      headcount: scalar('headcount'),
      role: scalar('role'),
      organization: oneOf('Organization', 'organization', 'organization_id'),
      side: scalar('side'),
      note: scalar('note'),
      meeting: oneOf('Meeting', 'meeting', 'meeting_id'),
    },
  },
  {
    type: 'Meeting',
    fields: {
      participants: listOf(
        'Participant',
        'p',
        (p, { row }) => sql`FROM participation ${p} WHERE ${p}.meeting_id = ${row}.id`,
        (p) => sql`${p}.position`,
      ),
    },
  },
  {
    type: 'Query',
    fields: {
      person: ({ planner, args, sets }) => lookup(planner, 'Person', 'person', args, sets),
      people: ({ planner, args, sets }) => {
        const list = namedList('person', { ...args, search: args.search as string | null });
        return connectionJson(planner, sets, {
          connectionType: 'PersonConnection',
          nodeType: 'Person',
          page: list.page,
          rows: list.rows,
          order: (r) => orderOn(r, list.keys, false),
          cursor: (r) => cursor(list.signature, [sql`${r}.name`, sql`${r}.id`]),
          count: list.count,
        });
      },
    },
  },
];
