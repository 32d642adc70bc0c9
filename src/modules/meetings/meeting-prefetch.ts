/**
 * A page of meetings asks for the same parts of every meeting (channels, outcomes, participants,
 * hosts, sources, related). Rather than one statement per part, the parts the query selects are
 * read with the page itself, as JSON columns of the page's one SQL statement (meeting.service.ts),
 * and handed to the per-request loaders, so the field resolvers find them already loaded. Each
 * part keeps the exact row shape its loader produces; anything not prefetched still loads
 * through the loaders.
 */
import { BREAK, visit, type GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { label } from '../../db/sql';

const PARTS = ['channels', 'outcomes', 'participants', 'hosts', 'sources', 'related'] as const;
export type MeetingPart = (typeof PARTS)[number];

const children = (tree: ResolveTree, name: string): ResolveTree[] =>
  Object.values(tree.fieldsByTypeName).flatMap((fields) => Object.values(fields).filter((field) => field.name === name));

/** What the client selected on the meeting connection being resolved. */
export interface MeetingSelection {
  /** Meeting parts selected under `edges { node { … } }`. */
  parts: Set<MeetingPart>;
  /** Whether `totalCount` is selected: then the page statement counts too. */
  totalCount: boolean;
}

// Keyed by the field's AST node: Apollo caches parsed documents, so the same operation selects the
// same parts on every request and the selection is worked out once per document. Selections
// under @include/@skip depend on variables and are read every time ('dynamic').
const selectionCache = new WeakMap<object, MeetingSelection | 'dynamic'>();

export function requestedSelection(info: GraphQLResolveInfo): MeetingSelection {
  const node = info.fieldNodes[0];
  const cached = info.fieldNodes.length === 1 ? selectionCache.get(node) : 'dynamic';
  if (cached !== undefined && cached !== 'dynamic') return cached;
  const selection = readSelection(info);
  if (cached === undefined) selectionCache.set(node, usesDirectives(info) ? 'dynamic' : selection);
  return selection;
}

function usesDirectives(info: GraphQLResolveInfo): boolean {
  let found = false;
  const check = { Directive: () => { found = true; return BREAK; } };
  visit(info.fieldNodes[0], check);
  for (const fragment of Object.values(info.fragments)) visit(fragment, check);
  return found;
}

function readSelection(info: GraphQLResolveInfo): MeetingSelection {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const parts = new Set<MeetingPart>();
  if (!tree) return { parts, totalCount: false };
  const totalCount = Object.values(tree.fieldsByTypeName).some((fields) => Object.values(fields).some((f) => f.name === 'totalCount'));
  for (const edges of children(tree, 'edges')) {
    for (const node of children(edges, 'node')) {
      for (const field of Object.values(node.fieldsByTypeName.Meeting ?? {})) {
        if ((PARTS as readonly string[]).includes(field.name)) parts.add(field.name as MeetingPart);
      }
    }
  }
  return { parts, totalCount };
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

/**
 * Parts read with a page, by meeting id. Resolvers get parts through meetingPart, which answers
 * from here synchronously: a page of 20 meetings has some 200 part and sub-part fields, and a
 * promise for each (even a loader's cached one) costs more than everything else they do.
 */
export type PrefetchedParts = { [P in MeetingPart]?: Map<number, unknown> };

/** Each part's loader, for meetings that were not read as part of a page. */
const PART_LOADERS: Record<MeetingPart, (loaders: Context['loaders']) => { load(meetingId: number): Promise<unknown> }> = {
  channels: (l) => l.channelLinksByMeeting,
  outcomes: (l) => l.outcomesByMeeting,
  participants: (l) => l.participationsByMeeting,
  hosts: (l) => l.hostsByMeeting,
  sources: (l) => l.sourcesByMeeting,
  related: (l) => l.relatedByMeeting,
};

/** A part of a meeting: as read with its page if it was (no promise), else through its loader. */
export function meetingPart<T>(ctx: Pick<Context, 'prefetched' | 'loaders'>, part: MeetingPart, meetingId: number): T | Promise<T> {
  const prefetched = ctx.prefetched[part]?.get(meetingId);
  return prefetched !== undefined ? (prefetched as T) : (PART_LOADERS[part](ctx.loaders).load(meetingId) as Promise<T>);
}

/** The selected parts as JSON columns of a statement whose page rows are aliased `p`. */
export function partColumns(parts: Set<MeetingPart>): Prisma.Sql[] {
  return PARTS.filter((part) => parts.has(part)).map((part) => Prisma.sql`${PART_SQL[part]} AS ${label(part)}`);
}

/** Keeps the parts read with the page for meetingPart. */
export function keepParts(ctx: Pick<Context, 'prefetched'>, rows: Record<string, unknown>[], parts: Set<MeetingPart>): void {
  for (const part of PARTS.filter((p) => parts.has(p))) {
    const byMeeting = (ctx.prefetched[part] ??= new Map());
    for (const row of rows) byMeeting.set(row.id as number, row[part]);
  }
}
