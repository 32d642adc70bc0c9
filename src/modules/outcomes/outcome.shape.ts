/**
 * Outcomes in SQL, for the read planner: the Outcome type, a meeting's outcomes, a channel's
 * outcomes and Query's outcomes.
 */
import { listLimit, LIST_LIMITS } from '../../common/limits/list-bounds';
import { enumSet, join, referenceIds, rowLimit, type Sql, sql } from '../../db/sql';
import { connectionJson, orderOn } from '../../planner/connection';
import { listOf, nodeId, oneOf, scalar } from '../../planner/fields';
import { cursor, isoDay, jsonList } from '../../planner/json';
import type { FieldRequest, TypeShape } from '../../planner/planner';
import { channelIds } from '../channels/channel.loaders';
import type { OutcomeFilter } from '../filters/filters.input';
import { outcomeList } from './outcome.service';

async function outcomeConnection(request: FieldRequest, filter: OutcomeFilter | null, scope?: Sql): Promise<Sql> {
  const { args, planner } = request;
  const list = await outcomeList(planner.deps, { ...args, filter }, scope);
  return connectionJson(planner, request.sets, {
    connectionType: 'OutcomeConnection',
    nodeType: 'Outcome',
    page: list.page,
    rows: list.rows,
    order: (row) => orderOn(row, list.keys, list.page.backward),
    cursor: (row) => cursor(list.signature, [isoDay(sql`${row}.meeting_start_date`), sql`${row}.meeting_id`, sql`${row}.position`]),
    count: list.count,
  });
}

export const outcomeShapes: TypeShape[] = [
  {
    type: 'Outcome',
    fields: {
      id: nodeId('Outcome'),
      description: scalar('description'),
      status: scalar('status'),
      note: scalar('note'),
      channel: oneOf('Channel', 'channel', 'channel_id'),
      meeting: oneOf('Meeting', 'meeting', 'meeting_id'),
      assertedBy: ({ row }) => sql`coalesce(to_json(${row}.asserted_by), '[]'::json)`,
      // In the order the record cites them (outcome-provenance.resolver.ts).
      sources: async ({ row, sets, planner }) => {
        const s = planner.alias('os');
        return jsonList(
          await planner.object('Source', sets, s),
          sql`FROM unnest(${row}.source_positions) WITH ORDINALITY AS cited(position, n) JOIN source ${s} ON ${s}.meeting_id = ${row}.meeting_id AND ${s}.position = cited.position`,
          sql`cited.n`,
        );
      },
      fulfilledBy: async ({ row, args, sets, planner }) => {
        const m = planner.alias('fm');
        const limit = listLimit(args.limit as number | null, LIST_LIMITS.fulfilledBy);
        const meetings = sql`(SELECT m.* FROM outcome_fulfilment f JOIN meeting m ON m.id = f.meeting_id
          WHERE f.outcome_id = ${row}.id ORDER BY m.start_date, m.id LIMIT ${rowLimit(limit)}) ${m}`;
        return jsonList(await planner.object('Meeting', sets, m), sql`FROM ${meetings}`, sql`${m}.start_date, ${m}.id`);
      },
    },
  },
  {
    type: 'Meeting',
    fields: {
      outcomes: async (request) => {
        const { args } = request;
        const channel =
          args.channel == null
            ? undefined
            : (await channelIds(request.planner.deps.loaders.allChannels, [args.channel as string], 'channel'))[0];
        const status = args.status as string[] | null | undefined;
        return listOf(
          'Outcome',
          'o',
          (o, { row }) => {
            const conditions = [sql`${o}.meeting_id = ${row}.id`];
            if (status != null) conditions.push(sql`${o}.status = ANY(${enumSet(status, 'OutcomeStatus')})`);
            if (channel !== undefined) conditions.push(sql`${o}.channel_id = ANY(${referenceIds([channel])})`);
            return sql`FROM outcome ${o} WHERE ${join(conditions, ' AND ')}`;
          },
          (o) => sql`${o}.position`,
        )(request);
      },
    },
  },
  {
    type: 'Channel',
    fields: {
      outcomes: (request) =>
        outcomeConnection(request, { statuses: request.args.status as OutcomeFilter['statuses'] }, sql`o.channel_id = ${request.row}.id`),
    },
  },
  {
    type: 'Query',
    fields: {
      outcomes: (request) => outcomeConnection(request, request.args.filter as OutcomeFilter | null),
    },
  },
];
