/**
 * The audit trail in SQL, for the read planner. It is for ADMIN keys only: for any other caller the
 * planner leaves the operation to execution, whose access rules (@Authorized) refuse it.
 */
import { sql } from '../../db/sql';
import { connectionJson, orderOn } from '../../planner/connection';
import { scalar } from '../../planner/fields';
import { cursor } from '../../planner/json';
import { Unplannable, type TypeShape } from '../../planner/planner';
import type { ChangeFilter } from './curation.types';
import { changeList } from './changes.service';

export const curationShapes: TypeShape[] = [
  {
    type: 'Query',
    fields: {
      changes: ({ planner, args, sets }) => {
        const { caller } = planner.deps;
        if (caller?.kind !== 'key' || caller.role !== 'ADMIN') throw new Unplannable('changes: not an ADMIN key');
        const list = changeList({ ...args, filter: args.filter as ChangeFilter | null });
        return connectionJson(planner, sets, {
          connectionType: 'ChangeConnection',
          nodeType: 'Change',
          page: list.page,
          rows: list.rows,
          order: (row) => orderOn(row, [{ name: 'id', desc: true }], false),
          cursor: (row) => cursor(list.signature, [sql`${row}.id`]),
          count: list.count,
        });
      },
    },
  },
  {
    type: 'Change',
    fields: {
      id: ({ row }) => sql`${row}.id::text`,
      // As Date#toISOString writes it.
      at: ({ row }) => sql`to_char(${row}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      actor: scalar('actor'),
      action: scalar('action'),
      recordType: scalar('record_type'),
      recordSlug: scalar('record_slug'),
      before: scalar('before'),
      after: scalar('after'),
    },
  },
];
