/**
 * Meetings in SQL, for the read planner (src/planner): the Meeting type's own fields, its links
 * to other meetings, and the meeting lists of Query. Parts that belong to other features
 * (channels, outcomes, participants, hosts, sources) are in those features' shapes.
 */
import { fromGlobalId } from '../../common/global-id';
import { listLimit, LIST_LIMITS } from '../../common/limits/list-bounds';
import { badUserInput } from '../../common/errors';
import { identifier, rowLimit, type Sql, sql } from '../../db/sql';
import { connectionJson, orderOn } from '../../planner/connection';
import { nodeId, scalar } from '../../planner/fields';
import { cursor, isoDay, jsonList, partialDate } from '../../planner/json';
import type { FieldRequest, Planner, TypeShape } from '../../planner/planner';
import type { MeetingFilter } from '../filters/filters.input';
import type { MeetingOrder } from './meeting-order.enum';
import { MEETING_ROW, meetingList, type MeetingScope } from './meeting.service';

/** A meeting list as a connection of `connectionType`, in the planner's statement. */
export async function meetingConnection(request: FieldRequest, scope?: MeetingScope): Promise<Sql> {
  const { args, planner } = request;
  const list = await meetingList(
    planner.deps,
    { ...args, filter: args.filter as MeetingFilter | null, orderBy: args.orderBy as MeetingOrder[] | null },
    scope,
  );
  return connectionJson(planner, request.sets, {
    connectionType: 'MeetingConnection',
    nodeType: 'Meeting',
    page: list.page,
    rows: list.rows(MEETING_ROW),
    order: (row) => orderOn(row, list.keys, list.page.backward),
    cursor: (row) =>
      cursor(
        list.signature,
        list.keys.map((key) => (key.type === 'date' ? isoDay(sql`${row}.start_date`) : sql`${row}.${identifier(key.name)}`)),
      ),
    count: list.count,
  });
}

/** `meeting(id:, slug:)`, `person(…)`, `organization(…)`: by global id or slug; null when nothing matches. */
export function lookup(
  planner: Planner,
  type: 'Meeting' | 'Person' | 'Organization',
  table: 'meeting' | 'person' | 'organization',
  args: Record<string, unknown>,
  sets: FieldRequest['sets'],
): Promise<Sql> | Sql {
  const id = args.id as string | null | undefined;
  const slug = args.slug as string | null | undefined;
  if (id == null && slug == null) throw badUserInput('id', 'give an id or a slug');
  const row = planner.alias('r');
  let where: Sql;
  if (id == null) {
    // An organisation is found by the slug of any of its aliases too (organizationBySlug).
    where =
      table === 'organization'
        ? sql`${row}.id = coalesce((SELECT o.id FROM organization o WHERE o.slug = ${slug}), (SELECT a.organization_id FROM organization_alias a WHERE a.slug = ${slug}))`
        : sql`${row}.slug = ${slug}`;
  } else {
    const decoded = fromGlobalId(id);
    if (decoded?.type !== type) return sql`NULL::json`;
    where = slug == null ? sql`${row}.id = ${decoded.id}` : sql`${row}.id = ${decoded.id} AND ${row}.slug = ${slug}`;
  }
  return planner.object(type, sets, row).then((object) => sql`(SELECT ${object} FROM ${tableOf(table)} ${row} WHERE ${where})`);
}

const tableOf = (table: 'meeting' | 'person' | 'organization') => identifier(table);

export const meetingShapes: TypeShape[] = [
  {
    type: 'Meeting',
    fields: {
      id: nodeId('Meeting'),
      slug: scalar('slug'),
      title: scalar('title'),
      kind: scalar('kind'),
      track: scalar('track'),
      mode: scalar('mode'),
      startDate: ({ row }) => partialDate(sql`${row}.start_date`, sql`${row}.date_precision`),
      endDate: ({ row }) => partialDate(sql`${row}.end_date`, sql`${row}.date_precision`),
      datePrecision: scalar('date_precision'),
      city: scalar('city'),
      region: scalar('region'),
      country: scalar('country'),
      countryCode: scalar('country_code'),
      venue: scalar('venue'),
      summary: scalar('summary'),
      uncertain: scalar('uncertain'),
      uncertaintyNotes: scalar('uncertainty_notes'),
      version: scalar('version'),
      trip: ({ row }) => sql`(SELECT t.key FROM trip t WHERE t.id = ${row}.trip_id)`,
      related: async ({ row, args, sets, planner }) => {
        // The links recorded on this meeting and those pointing at it, ordered as the loader orders them.
        const link = planner.alias('l');
        const limit = listLimit(args.limit as number | null, LIST_LIMITS.related);
        const links = sql`(SELECT r.relation, r.from_meeting_id, r.to_meeting_id, r.from_meeting_id = ${row}.id AS outgoing,
            CASE WHEN r.from_meeting_id = ${row}.id THEN r.to_meeting_id ELSE r.from_meeting_id END AS other_id
          FROM meeting_relation r WHERE r.from_meeting_id = ${row}.id OR r.to_meeting_id = ${row}.id
          ORDER BY r.from_meeting_id, r.to_meeting_id, r.relation LIMIT ${rowLimit(limit)}) ${link}`;
        return jsonList(
          await planner.object('RelatedMeeting', sets, link),
          sql`FROM ${links}`,
          sql`${link}.from_meeting_id, ${link}.to_meeting_id, ${link}.relation`,
        );
      },
    },
  },
  {
    type: 'RelatedMeeting',
    fields: {
      relation: scalar('relation'),
      direction: ({ row }) => sql`CASE WHEN ${row}.outgoing THEN 'OUTGOING' ELSE 'INCOMING' END`,
      meeting: ({ row, sets, planner }) => planner.byId('Meeting', 'meeting', sql`${row}.other_id`, sets),
    },
  },
  {
    type: 'Query',
    fields: {
      meeting: ({ planner, args, sets }) => lookup(planner, 'Meeting', 'meeting', args, sets),
      meetings: (request) => meetingConnection(request),
    },
  },
];
