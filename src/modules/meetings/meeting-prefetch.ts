/**
 * A page of meetings asks for the same parts of every meeting (channels, outcomes, participants,
 * hosts, sources, related). Rather than one Prisma statement per part, the parts the query
 * selects are read for the whole page in one SQL statement, as JSON, and handed to the
 * per-request loaders, so the field resolvers find them already loaded. Each part keeps the
 * exact row shape its loader produces; anything not prefetched still loads through the loaders.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';

const PARTS = ['channels', 'outcomes', 'participants', 'hosts', 'sources', 'related'] as const;
export type MeetingPart = (typeof PARTS)[number];

const children = (tree: ResolveTree, name: string): ResolveTree[] =>
  Object.values(tree.fieldsByTypeName).flatMap((fields) => Object.values(fields).filter((field) => field.name === name));

/** The meeting parts selected under `edges { node { … } }` of the connection being resolved. */
export function requestedParts(info: GraphQLResolveInfo): Set<MeetingPart> {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const parts = new Set<MeetingPart>();
  if (!tree) return parts;
  for (const edges of children(tree, 'edges')) {
    for (const node of children(edges, 'node')) {
      for (const field of Object.values(node.fieldsByTypeName.Meeting ?? {})) {
        if ((PARTS as readonly string[]).includes(field.name)) parts.add(field.name as MeetingPart);
      }
    }
  }
  return parts;
}

const PART_SQL: Record<MeetingPart, Prisma.Sql> = {
  channels: Prisma.sql`(SELECT coalesce(json_agg(json_build_object('meetingId', mc.meeting_id, 'channelId', mc.channel_id,
      'position', mc.position) ORDER BY mc.position), '[]') FROM meeting_channel mc WHERE mc.meeting_id = p.id)`,
  outcomes: Prisma.sql`(SELECT coalesce(json_agg(json_build_object('id', o.id, 'meetingId', o.meeting_id, 'channelId', o.channel_id,
      'position', o.position, 'description', o.description, 'status', o.status, 'note', o.note) ORDER BY o.position), '[]')
      FROM outcome o WHERE o.meeting_id = p.id)`,
  participants: Prisma.sql`(SELECT coalesce(json_agg(json_build_object('id', pa.id, 'meetingId', pa.meeting_id, 'position', pa.position,
      'personId', pa.person_id, 'delegation', pa.delegation, 'headcount', pa.headcount, 'role', pa.role,
      'organizationId', pa.organization_id, 'side', pa.side, 'note', pa.note,
      'person', CASE WHEN pe.id IS NULL THEN NULL ELSE json_build_object('id', pe.id, 'slug', pe.slug, 'name', pe.name) END,
      'organization', CASE WHEN og.id IS NULL THEN NULL ELSE json_build_object('id', og.id, 'slug', og.slug, 'name', og.name) END)
      ORDER BY pa.position), '[]')
      FROM participation pa LEFT JOIN person pe ON pe.id = pa.person_id LEFT JOIN organization og ON og.id = pa.organization_id
      WHERE pa.meeting_id = p.id)`,
  hosts: Prisma.sql`(SELECT coalesce(json_agg(json_build_object('meetingId', h.meeting_id, 'organizationId', h.organization_id,
      'position', h.position, 'organization', json_build_object('id', og.id, 'slug', og.slug, 'name', og.name)) ORDER BY h.position), '[]')
      FROM host h JOIN organization og ON og.id = h.organization_id WHERE h.meeting_id = p.id)`,
  sources: Prisma.sql`(SELECT coalesce(json_agg(json_build_object('id', s.id, 'meetingId', s.meeting_id, 'position', s.position,
      'publisher', s.publisher, 'title', s.title, 'url', s.url, 'publishedDate', s.published_date, 'note', s.note) ORDER BY s.position), '[]')
      FROM source s WHERE s.meeting_id = p.id)`,
  related: Prisma.sql`(SELECT coalesce(json_agg(json_build_object('relation', r.relation, 'outgoing', r.from_meeting_id = p.id,
      'otherId', CASE WHEN r.from_meeting_id = p.id THEN r.to_meeting_id ELSE r.from_meeting_id END)
      ORDER BY r.from_meeting_id, r.to_meeting_id, r.relation), '[]')
      FROM meeting_relation r WHERE r.from_meeting_id = p.id OR r.to_meeting_id = p.id)`,
};

type Primeable = { prime(key: number, value: never): unknown };

export async function prefetchMeetingParts(deps: Pick<Context, 'prisma' | 'loaders'>, ids: number[], parts: Set<MeetingPart>): Promise<void> {
  if (ids.length === 0 || parts.size === 0) return;
  const wanted = PARTS.filter((part) => parts.has(part));
  const rows = await deps.prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT p.id, ${Prisma.join(wanted.map((part) => Prisma.sql`${PART_SQL[part]} AS ${Prisma.raw(`"${part}"`)}`))}
    FROM unnest(${ids}::int[]) AS p(id)`;
  const loaders: Record<MeetingPart, Primeable> = {
    channels: deps.loaders.channelLinksByMeeting,
    outcomes: deps.loaders.outcomesByMeeting,
    participants: deps.loaders.participationsByMeeting,
    hosts: deps.loaders.hostsByMeeting,
    sources: deps.loaders.sourcesByMeeting,
    related: deps.loaders.relatedByMeeting,
  };
  for (const row of rows) {
    for (const part of wanted) loaders[part].prime(row.id as number, row[part] as never);
  }
}
