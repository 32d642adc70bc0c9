/**
 * Writes whole records: a meeting row and every part of it, its search document and the
 * fulfilments it affects. Every row goes in through bulkInsert/bulkUpdate (bulk-insert.ts): one
 * statement per table per few thousand rows, however many records, so that large imports are
 * fast. Callers run it in a write transaction (src/db/write-transaction.ts) and audit it.
 *
 * Concurrent writers (curation requests, imports) run in READ COMMITTED and take their locks in
 * one order, so that none waits for another that waits for it:
 * 1. the rows of the meetings written that exist (lockMeetings, by id; FOR NO KEY UPDATE, so
 *    that other transactions may still insert rows referring to them);
 * 2. new people, organisations and trips, each table inserted in key order (an insert waits for
 *    an uncommitted insert of the same key, so two orders could wait on each other), then new
 *    meetings (in the file's order; see below);
 * 3. everything that only touches the meeting's own rows: its columns, participants, hosts,
 *    sources, channel links added, search document;
 * 4. the fulfilment lock (fulfilment.service.ts), then everything another transaction's foreign
 *    keys could wait on or that fulfilments are derived from: channel links removed (they take
 *    their outcomes with them), outcomes removed, relations, and the fulfilments themselves.
 *    deleteRecord deletes under the same lock. So a transaction holding the fulfilment lock never
 *    waits for a row lock held by one that is waiting for the fulfilment lock.
 */
import { Prisma, type Asserter, type MeetingRelation, type OutcomeStatus } from '../../generated/prisma/client';
import { slugify } from '../../common/slug';
import { StaleCheckError } from '../../db/write-transaction';
import { BULK_CHUNK_ROWS, bulkInsert, bulkUpdate } from './bulk-insert';
import type { EngagementRecord } from './engagement.record';
import { meetingColumns, toDbEnum, toDbSide } from './engagement.mapping';
import { lockFulfilments, refreshFulfilments } from './fulfilment.service';
import { identifier } from '../../db/sql';

type Tx = Prisma.TransactionClient;

export interface LockedMeeting {
  id: number;
  version: number;
}

/**
 * Locks the existing meetings among `slugs` against other writers until the transaction ends,
 * in id order (two writers locking overlapping sets in one order cannot deadlock), and returns
 * them by slug. Slugs of no meeting are left out.
 */
export async function lockMeetings(tx: Tx, slugs: string[]): Promise<Map<string, LockedMeeting>> {
  if (slugs.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: number; slug: string; version: number }[]>`SELECT id, slug, version FROM meeting
    WHERE slug = ANY(${slugs}::text[]) ORDER BY id FOR NO KEY UPDATE`;
  return new Map(rows.map((m) => [m.slug, { id: m.id, version: m.version }]));
}

/**
 * Writes the records (new ones created, existing ones replaced) and the fulfilments they
 * affect; returns the ids of the meetings written.
 */
export async function writeRecords(
  tx: Tx,
  records: EngagementRecord[],
  channels: Map<string, number>,
  onProgress?: (done: number, total: number) => void,
): Promise<number[]> {
  let done = 0;
  const progress = (written: number) => {
    // Per record, as ImportOptions.onProgress promises (the CLI starts its bar at 1).
    for (let i = 0; i < written && onProgress; i += 1) onProgress(++done, records.length);
  };

  // A record is the unit of truth and positions keep its order, so children are replaced
  // wholesale — except outcomes, which are Nodes with ids clients keep: those are updated in
  // place by position (see keepOutcomes), and channel links only lose the channels that went.
  const ids = records.map((r) => r.id);
  const stale = await lockMeetings(tx, ids);
  const staleIds = [...stale.values()].map((m) => m.id);

  // Names repeat across records (the same people meet again): slug each distinct name once.
  const slugs = new Map<string, string>();
  const slugOf = (name: string) => {
    let slug = slugs.get(name);
    if (slug === undefined) slugs.set(name, (slug = slugify(name)));
    return slug;
  };
  const people = await upsertBySlug(
    tx,
    slugOf,
    'person',
    records.flatMap((r) => r.participants.map((p) => p.name).filter((name): name is string => name !== null)),
  );
  const organizations = await upsertBySlug(
    tx,
    slugOf,
    'organization',
    records.flatMap((r) => [...r.hosts, ...r.participants.map((p) => p.organization).filter((o): o is string => o !== null)]),
  );
  const trips = await upsertTrips(
    tx,
    records.map((r) => r.parent).filter((p): p is string => p !== null),
  );

  if (staleIds.length > 0) {
    await tx.$executeRaw`DELETE FROM participation WHERE meeting_id = ANY(${staleIds}::int[])`;
    await tx.$executeRaw`DELETE FROM host WHERE meeting_id = ANY(${staleIds}::int[])`;
    await tx.$executeRaw`DELETE FROM source WHERE meeting_id = ANY(${staleIds}::int[])`;
  }

  const columnsOf = (record: EngagementRecord) => ({
    ...meetingColumns(record),
    tripId: record.parent === null ? null : trips.get(record.parent)!,
  });
  const meetingIds = new Map([...stale].map(([slug, m]) => [slug, m.id]));
  const existing = records.filter((r) => meetingIds.has(r.id));
  // created_at and updated_at as Prisma stamps them: the client's clock at the write.
  const updatedAt = new Date();
  await bulkUpdate(
    tx,
    'meeting',
    ['id'],
    existing.map((record) => ({ id: meetingIds.get(record.id)!, ...columnsOf(record), updatedAt })),
    { incrementVersion: true },
  );
  progress(existing.length);
  // New meetings in the file's order, so that their serial ids follow it (as with createMany).
  // Two imports creating the same new meetings in different orders can deadlock here: rare, and
  // the write transaction runs the loser again.
  const fresh = records.filter((r) => !meetingIds.has(r.id));
  for (let start = 0; start < fresh.length; start += BULK_CHUNK_ROWS) {
    const chunk = fresh.slice(start, start + BULK_CHUNK_ROWS);
    const now = new Date();
    const created = await bulkInsert<{ id: number; slug: string }>(
      tx,
      'meeting',
      chunk.map((record) => ({ ...columnsOf(record), createdAt: now, updatedAt: now })),
      { returning: ['id', 'slug'] },
    );
    for (const { id, slug } of created) meetingIds.set(slug, id);
    progress(chunk.length);
  }
  const writtenIds = [...meetingIds.values()];

  const rows = <T>(build: (record: EngagementRecord, meetingId: number) => T[]) =>
    records.flatMap((record) => build(record, meetingIds.get(record.id)!));
  const links = rows((r, meetingId) => r.channels.map((slug, position) => ({ meetingId, channelId: channels.get(slug)!, position })));
  const staleSet = new Set(staleIds);
  const kept = links.filter((l) => staleSet.has(l.meetingId));
  await bulkInsert(tx, 'meeting_channel', links, { skipDuplicates: true });
  // Kept links may have moved in the record's list.
  await bulkUpdate(tx, 'meeting_channel', ['meetingId', 'channelId'], kept, { onlyChanged: true });
  await bulkInsert(
    tx,
    'participation',
    rows((r, meetingId) =>
      r.participants.map((p, position) => ({
        meetingId,
        position,
        personId: p.name === null ? null : people.get(slugOf(p.name))!,
        delegation: p.delegation,
        headcount: p.headcount,
        role: p.role,
        organizationId: p.organization === null ? null : organizations.get(slugOf(p.organization))!,
        side: toDbSide(p.side),
        note: p.note,
      })),
    ),
  );
  await bulkInsert(
    tx,
    'host',
    rows((r, meetingId) =>
      [...new Set(r.hosts.map(slugOf))].map((slug, position) => ({ meetingId, organizationId: organizations.get(slug)!, position })),
    ),
  );
  await bulkInsert(
    tx,
    'source',
    rows((r, meetingId) =>
      r.sources.map((s, position) => ({
        meetingId,
        position,
        publisher: s.publisher,
        title: s.title,
        url: s.url,
        publishedDate: s.publishedDate,
        note: s.note,
      })),
    ),
  );
  // A meeting's search document includes its participants', hosts' and sources' text, so it is
  // rebuilt once all of them are written; this is the only place meetings are written.
  await withIndexLookups(
    tx,
    () => tx.$executeRaw`UPDATE meeting m SET search_vector = meeting_search_vector(m) WHERE m.id = ANY(${writtenIds}::int[])`,
  );

  // Step 4 (see the top of this file): from here on, one writer at a time.
  await lockFulfilments(tx);
  if (staleIds.length > 0) {
    // Cascades to the outcomes on channels the record no longer lists.
    await tx.$executeRaw`DELETE FROM meeting_channel mc WHERE mc.meeting_id = ANY(${staleIds}::int[])
      AND NOT EXISTS (SELECT FROM unnest(${kept.map((k) => k.meetingId)}::int[], ${kept.map((k) => k.channelId)}::int[]) AS k(meeting_id, channel_id)
        WHERE k.meeting_id = mc.meeting_id AND k.channel_id = mc.channel_id)`;
  }
  await keepOutcomes(
    tx,
    staleIds,
    rows((r, meetingId) =>
      r.outcomes.map((o, position) => ({
        meetingId,
        channelId: channels.get(o.channel)!,
        position,
        description: o.description,
        status: toDbEnum<OutcomeStatus>(o.status),
        note: o.note,
        assertedBy: o.assertedBy.map((a) => toDbEnum<Asserter>(a)),
        sourcePositions: o.sources,
      })),
    ),
  );
  await writeRelations(tx, records, staleIds, meetingIds);
  await refreshFulfilments(tx, writtenIds);
  return writtenIds;
}

/**
 * Replaces the relations from the meetings written. Runs under the fulfilment lock, as does
 * deleteRecord: a meeting checked to exist before the lock may have been deleted since, which
 * the lookup of the targets here sees.
 */
async function writeRelations(tx: Tx, records: EngagementRecord[], staleIds: number[], meetingIds: Map<string, number>): Promise<void> {
  if (staleIds.length > 0) await tx.$executeRaw`DELETE FROM meeting_relation WHERE from_meeting_id = ANY(${staleIds}::int[])`;
  const relatedSlugs = [...new Set(records.flatMap((r) => r.related.map((l) => l.id)))];
  const targets = new Map(
    (relatedSlugs.length
      ? await tx.$queryRaw<{ id: number; slug: string }[]>`SELECT id, slug FROM meeting WHERE slug = ANY(${relatedSlugs}::text[])`
      : []
    ).map((m) => [m.slug, m.id]),
  );
  const gone = relatedSlugs.filter((slug) => !targets.has(slug));
  if (gone.length) throw new StaleCheckError(`related meetings deleted during the write: ${gone.join(', ')}`);
  await bulkInsert(
    tx,
    'meeting_relation',
    records.flatMap((r) =>
      r.related.map((link) => ({
        fromMeetingId: meetingIds.get(r.id)!,
        toMeetingId: targets.get(link.id)!,
        relation: toDbEnum<MeetingRelation>(link.relation),
      })),
    ),
    { skipDuplicates: true },
  );
}

/**
 * Deletes a meeting (locked by lockMeetings) with, by cascade, its parts, its relations either
 * way and the fulfilments that involved it — unless other meetings relate to it: then nothing is
 * deleted and their slugs are returned, since deleting would silently change their records.
 */
export async function deleteRecord(tx: Tx, meetingId: number): Promise<{ referrers: string[] }> {
  // Relations are only written under this lock, so none to this meeting can be in flight: one
  // uncommitted here would be unseen by the check below, then removed by the cascade.
  await lockFulfilments(tx);
  const referrers = await tx.$queryRaw<{ slug: string }[]>`SELECT m.slug FROM meeting m
    WHERE m.id <> ${meetingId} AND EXISTS (SELECT FROM meeting_relation r WHERE r.from_meeting_id = m.id AND r.to_meeting_id = ${meetingId})
    ORDER BY m.id`;
  if (referrers.length) return { referrers: referrers.map((r) => r.slug) };
  await tx.$executeRaw`DELETE FROM meeting WHERE id = ${meetingId}`;
  return { referrers: [] };
}

/**
 * Runs `statement` with hash and merge joins off (then restores them), for per-meeting lookups
 * of a few child rows. meeting_search_vector() reads a meeting's participants (joined to
 * person), hosts (joined to organization) and sources by meeting id. On tables that have never
 * been analysed — a first import, all in this transaction — the planner guesses a hundred
 * children per meeting and hashes the whole person and organization tables for every meeting:
 * O(meetings × people), most of the time of a large first import. Index lookups are the right
 * plan whatever the statistics say.
 */
async function withIndexLookups<T>(tx: Tx, statement: () => Promise<T>): Promise<T> {
  const [saved] = await tx.$queryRaw<{ hash: string; merge: string }[]>`SELECT
    current_setting('enable_hashjoin') AS hash, current_setting('enable_mergejoin') AS merge,
    set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`;
  const result = await statement();
  await tx.$queryRaw`SELECT set_config('enable_hashjoin', ${saved.hash}, true), set_config('enable_mergejoin', ${saved.merge}, true)`;
  return result;
}

type OutcomeData = {
  meetingId: number;
  channelId: number;
  position: number;
  description: string;
  status: OutcomeStatus;
  note: string | null;
  assertedBy: Asserter[];
  sourcePositions: number[];
};

/**
 * Writes outcomes so that the one at a given position of a meeting keeps its row, and so its
 * global id, across edits: rows at positions still present are updated, extra rows deleted,
 * new positions inserted.
 */
async function keepOutcomes(tx: Tx, staleIds: number[], outcomes: OutcomeData[]): Promise<void> {
  const existing = new Set(
    staleIds.length
      ? (
          await tx.$queryRaw<{ meeting_id: number; position: number }[]>`SELECT meeting_id, position FROM outcome
            WHERE meeting_id = ANY(${staleIds}::int[])`
        ).map((o) => `${o.meeting_id}:${o.position}`)
      : [],
  );
  const wanted = new Set(outcomes.map((o) => `${o.meetingId}:${o.position}`));
  const surplus = [...existing].filter((key) => !wanted.has(key)).map((key) => key.split(':').map(Number));
  if (surplus.length) {
    await tx.$executeRaw`DELETE FROM outcome WHERE (meeting_id, position) IN (
      SELECT * FROM unnest(${surplus.map(([meetingId]) => meetingId)}::int[], ${surplus.map(([, position]) => position)}::int[]))`;
  }
  await bulkUpdate(
    tx,
    'outcome',
    ['meetingId', 'position'],
    outcomes.filter((o) => existing.has(`${o.meetingId}:${o.position}`)),
  );
  await bulkInsert(
    tx,
    'outcome',
    outcomes.filter((o) => !existing.has(`${o.meetingId}:${o.position}`)),
  );
}

/**
 * Creates the people or organisations named, keyed by the slug of their name; returns slug → id.
 * New ones are inserted in slug order: see step 2 at the top of this file.
 */
async function upsertBySlug(
  tx: Tx,
  slugify: (name: string) => string,
  table: 'person' | 'organization',
  names: string[],
): Promise<Map<string, number>> {
  const bySlug = new Map<string, string>();
  for (const name of names) {
    const slug = slugify(name);
    if (slug && !bySlug.has(slug)) bySlug.set(slug, name);
  }
  if (bySlug.size === 0) return new Map();
  const sorted = [...bySlug].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // ON CONFLICT DO NOTHING: a name another writer created meanwhile is simply there; its
  // insert, if uncommitted, is waited for, and the lookup below (a new statement) then sees it.
  await bulkInsert(
    tx,
    table,
    sorted.map(([slug, name]) => ({ slug, name })),
    { skipDuplicates: true },
  );
  const found = await tx.$queryRaw<{ id: number; slug: string }[]>`SELECT id, slug FROM ${identifier(table)}
    WHERE slug = ANY(${[...bySlug.keys()]}::text[])`;
  return new Map(found.map((row) => [row.slug, row.id]));
}

/** The trips keyed, created in key order when new (see upsertBySlug); returns key → id. */
async function upsertTrips(tx: Tx, mentioned: string[]): Promise<Map<string, number>> {
  const keys = [...new Set(mentioned)];
  if (keys.length === 0) return new Map();
  const find = async () =>
    new Map(
      (await tx.$queryRaw<{ id: number; key: string }[]>`SELECT id, key FROM trip WHERE key = ANY(${keys}::text[])`).map((t) => [
        t.key,
        t.id,
      ]),
    );
  const trips = await find();
  const missing = keys.filter((key) => !trips.has(key)).sort();
  if (missing.length === 0) return trips;
  await bulkInsert(
    tx,
    'trip',
    missing.map((key) => ({ key })),
    { skipDuplicates: true },
  );
  return find();
}
