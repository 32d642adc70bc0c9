/** Organisations in SQL, for the read planner. */
import { namedList } from '../../common/named-list';
import { listLimit, LIST_LIMITS } from '../../common/limits/list-bounds';
import { rowLimit, sql } from '../../db/sql';
import { connectionJson, orderOn } from '../../planner/connection';
import { listOf, nodeId, scalar } from '../../planner/fields';
import { cursor, jsonList } from '../../planner/json';
import type { TypeShape } from '../../planner/planner';
import { lookup } from '../meetings/meeting.shape';

export const organizationShapes: TypeShape[] = [
  {
    type: 'Organization',
    fields: {
      id: nodeId('Organization'),
      slug: scalar('slug'),
      name: scalar('name'),
      hosted: async ({ row, args, sets, planner }) => {
        const m = planner.alias('hm');
        const limit = listLimit(args.limit as number | null, LIST_LIMITS.hosted);
        // Newest first, as the loader orders them.
        const meetings = sql`(SELECT m.* FROM host h JOIN meeting m ON m.id = h.meeting_id
          WHERE h.organization_id = ${row}.id ORDER BY m.start_date DESC, m.id DESC LIMIT ${rowLimit(limit)}) ${m}`;
        return jsonList(await planner.object('Meeting', sets, m), sql`FROM ${meetings}`, sql`${m}.start_date DESC, ${m}.id DESC`);
      },
      hostedCount: ({ row }) => sql`(SELECT count(*)::int FROM host WHERE organization_id = ${row}.id)`,
      aliases: ({ row }) =>
        sql`(SELECT coalesce(json_agg(a.name ORDER BY a.name, a.id), '[]'::json) FROM organization_alias a WHERE a.organization_id = ${row}.id)`,
    },
  },
  {
    type: 'Meeting',
    fields: {
      hosts: listOf(
        'Organization',
        'og',
        (og, { row }) => sql`FROM host h JOIN organization ${og} ON ${og}.id = h.organization_id WHERE h.meeting_id = ${row}.id`,
        () => sql`h.position`,
      ),
    },
  },
  {
    type: 'Query',
    fields: {
      organization: ({ planner, args, sets }) => lookup(planner, 'Organization', 'organization', args, sets),
      organizations: ({ planner, args, sets }) => {
        const list = namedList('organization', { ...args, search: args.search as string | null });
        return connectionJson(planner, sets, {
          connectionType: 'OrganizationConnection',
          nodeType: 'Organization',
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
