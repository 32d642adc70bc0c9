/**
 * Imports files in the data set's format. One code path serves the CLI (`npm run import`),
 * seeding and, later, the API's importEngagements mutation.
 *
 * A file is all-or-nothing: every line is validated (shape, then references to channels and
 * other engagements) before anything is written, and the writes run in one transaction.
 * Records are identified by their `id`, so importing the same file twice changes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import { Prisma, type MeetingRelation, type OutcomeStatus, type PrismaClient } from '../../generated/prisma/client';
import { slugify } from '../../common/slug';
import { BULK_CHUNK_ROWS, bulkInsert, bulkUpdate } from './bulk-insert';
import { engagementRecordSchema, fieldPath, type EngagementRecord } from './engagement.record';
import {
  meetingColumns,
  meetingRecordInclude,
  recordFromMeeting,
  toDbEnum,
  toDbSide,
} from './engagement.mapping';

export interface ImportError {
  /** 1-based line number in the file. */
  line: number;
  /** Path of the offending field inside the record, e.g. `outcomes[1].channel`; null for the whole line. */
  field: string | null;
  message: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportError[];
  dryRun: boolean;
}

export interface ParsedLine {
  line: number;
  record: EngagementRecord;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Recorded in the audit trail; default "import". */
  actor?: Actor;
  /** Called after each record is written, for progress display. */
  onProgress?: (done: number, total: number) => void;
}

/** Parses and validates the shape of every line; references are checked by importEngagements. */
export function parseEngagements(jsonl: string): { records: ParsedLine[]; errors: ImportError[] } {
  const records: ParsedLine[] = [];
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  jsonl.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (!text.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      errors.push({ line, field: null, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    const result = engagementRecordSchema.safeParse(json);
    if (!result.success) {
      for (const issue of result.error.issues) {
        errors.push({ line, field: fieldPath(issue.path), message: issue.message });
      }
      return;
    }
    const earlier = seen.get(result.data.id);
    if (earlier !== undefined) {
      errors.push({ line, field: 'id', message: `"${result.data.id}" is already used on line ${earlier}` });
      return;
    }
    seen.set(result.data.id, line);
    records.push({ line, record: result.data });
  });
  return { records, errors };
}

export async function importEngagements(
  prisma: PrismaClient,
  jsonl: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const dryRun = options.dryRun ?? false;
  const { records, errors } = parseEngagements(jsonl);
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors, dryRun };
  if (records.length === 0 && errors.length === 0) return report;

  const { channels, errors: referenceErrors } = await checkReferences(prisma, records);
  errors.push(...referenceErrors);
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line);
    return report;
  }

  const existing = await loadRecords(prisma, records.map(({ record }) => record.id));
  const changes: RecordChange[] = [];
  for (const { record } of records) {
    const before = existing.get(record.id) ?? null;
    if (before && sameRecord(before, record)) {
      report.unchanged += 1;
      continue;
    }
    if (before) report.updated += 1;
    else report.created += 1;
    changes.push({ before, after: record });
  }
  if (dryRun || changes.length === 0) return report;

  await prisma.$transaction(
    async (tx) => {
      await writeChanges(tx, changes, channels, options.actor ?? { actor: 'import' }, options.onProgress);
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
  return report;
}

/** Who a write is recorded against in the audit trail. */
export interface Actor {
  /** The API key's name, or how the write was made without one ("cli:import", "seed"). */
  actor: string;
  apiKeyId?: number | null;
}

export interface RecordChange {
  before: EngagementRecord | null;
  after: EngagementRecord;
}

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Checks what a record points at beyond itself: channels must exist, and related ids must be in
 * the same batch or already in the database. Returns channel slug → id for writing.
 */
export async function checkReferences(db: Db, records: ParsedLine[]) {
  const errors: ImportError[] = [];
  const channels = new Map((await db.channel.findMany({ select: { id: true, slug: true } })).map((c) => [c.slug, c.id]));
  const inBatch = new Set(records.map(({ record }) => record.id));
  const relatedIds = [...new Set(records.flatMap(({ record }) => record.related.map((link) => link.id)))];
  const elsewhere = relatedIds.filter((id) => !inBatch.has(id));
  const existingRelated = new Set(
    elsewhere.length
      ? (await db.$queryRaw<{ slug: string }[]>`SELECT slug FROM meeting WHERE slug = ANY(${elsewhere}::text[])`).map((m) => m.slug)
      : [],
  );
  for (const { line, record } of records) {
    record.channels.forEach((channel, index) => {
      if (!channels.has(channel)) {
        errors.push({ line, field: `channels[${index}]`, message: `unknown channel "${channel}"; known: ${[...channels.keys()].join(', ')}` });
      }
    });
    record.related.forEach((link, index) => {
      if (!inBatch.has(link.id) && !existingRelated.has(link.id)) {
        errors.push({ line, field: `related[${index}].id`, message: `no engagement "${link.id}" in this file or the database` });
      }
    });
  }
  return { channels, errors };
}

/** The records as the database holds them now, by slug. */
export async function loadRecords(db: Db, slugs: string[]): Promise<Map<string, EngagementRecord>> {
  // Which exist first (one cheap statement): a first import of a large file then loads nothing,
  // and the rest is loaded a bounded number of slugs at a time.
  const found =
    slugs.length === 1
      ? slugs
      : (await db.$queryRaw<{ slug: string }[]>`SELECT slug FROM meeting WHERE slug = ANY(${slugs}::text[])`).map((m) => m.slug);
  const records = new Map<string, EngagementRecord>();
  for (let start = 0; start < found.length; start += LOAD_CHUNK) {
    // One statement (JSON joins): inside a transaction, Prisma's default of one query per relation
    // would run them concurrently on the transaction's single connection, which pg warns about.
    const meetings = await db.meeting.findMany({
      where: { slug: { in: found.slice(start, start + LOAD_CHUNK) } },
      include: meetingRecordInclude,
      relationLoadStrategy: 'join',
    });
    for (const meeting of meetings) records.set(meeting.slug, recordFromMeeting(meeting));
  }
  return records;
}

/** Meetings loaded with all their parts per statement by loadRecords. */
const LOAD_CHUNK = 1000;

/** Writes the records and one audit row for each; call inside a transaction. */
export async function writeChanges(
  tx: Prisma.TransactionClient,
  changes: RecordChange[],
  channels: Map<string, number>,
  actor: Actor,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  await writeRecords(tx, changes.map((c) => c.after), channels, onProgress);
  await bulkInsert(
    tx,
    'change',
    changes.map(({ before, after }) => ({
      actor: actor.actor,
      apiKeyId: actor.apiKeyId ?? null,
      action: before ? 'UPDATE' : 'CREATE',
      recordType: 'Meeting',
      recordSlug: after.id,
      before,
      after,
    })),
    { jsonb: true },
  );
}

export function sameRecord(a: EngagementRecord, b: EngagementRecord): boolean {
  const order = (record: EngagementRecord) => ({
    ...record,
    related: [...record.related].sort((x, y) => (x.id + x.relation).localeCompare(y.id + y.relation)),
  });
  return isDeepStrictEqual(order(a), order(b));
}

type Tx = Prisma.TransactionClient;

export async function writeRecords(
  tx: Tx,
  records: EngagementRecord[],
  channels: Map<string, number>,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  // Every row goes in through bulkInsert/bulkUpdate (bulk-insert.ts): one statement per table
  // per few thousand rows, however many records, so that large imports are fast.
  let done = 0;
  const progress = (written: number) => {
    // Per record, as ImportOptions.onProgress promises (the CLI starts its bar at 1).
    for (let i = 0; i < written && onProgress; i += 1) onProgress(++done, records.length);
  };
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
  const trips = await upsertTrips(tx, records.map((r) => r.parent).filter((p): p is string => p !== null));

  // A record is the unit of truth and positions keep its order, so children are replaced
  // wholesale — except outcomes, which are Nodes with ids clients keep: those are updated in
  // place by position (see keepOutcomes), and channel links only lose the channels that went.
  const ids = records.map((r) => r.id);
  const stale = await tx.$queryRaw<{ id: number; slug: string }[]>`SELECT id, slug FROM meeting WHERE slug = ANY(${ids}::text[])`;
  const staleIds = stale.map((m) => m.id);
  if (staleIds.length > 0) {
    const bySlug = new Map(records.map((r) => [r.id, r]));
    const kept = stale.flatMap((m) => bySlug.get(m.slug)!.channels.map((slug) => [m.id, channels.get(slug)!] as const));
    // Cascades to the outcomes on channels the record no longer lists.
    await tx.$executeRaw`DELETE FROM meeting_channel mc WHERE mc.meeting_id = ANY(${staleIds}::int[])
      AND NOT EXISTS (SELECT FROM unnest(${kept.map((k) => k[0])}::int[], ${kept.map((k) => k[1])}::int[]) AS k(meeting_id, channel_id)
        WHERE k.meeting_id = mc.meeting_id AND k.channel_id = mc.channel_id)`;
    await tx.$executeRaw`DELETE FROM participation WHERE meeting_id = ANY(${staleIds}::int[])`;
    await tx.$executeRaw`DELETE FROM host WHERE meeting_id = ANY(${staleIds}::int[])`;
    await tx.$executeRaw`DELETE FROM source WHERE meeting_id = ANY(${staleIds}::int[])`;
    await tx.$executeRaw`DELETE FROM meeting_relation WHERE from_meeting_id = ANY(${staleIds}::int[])`;
  }

  const columnsOf = (record: EngagementRecord) => ({
    ...meetingColumns(record),
    tripId: record.parent === null ? null : trips.get(record.parent)!,
  });
  const meetingIds = new Map(stale.map((m) => [m.slug, m.id]));
  const existing = records.filter((r) => meetingIds.has(r.id));
  // created_at and updated_at as Prisma stamps them: the client's clock at the write.
  const updatedAt = new Date();
  await bulkUpdate(
    tx,
    'meeting',
    ['id'],
    existing.map((record) => ({ id: meetingIds.get(record.id)!, ...columnsOf(record), updatedAt })),
    { also: '"version" = t."version" + 1' },
  );
  progress(existing.length);
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

  const rows = <T>(build: (record: EngagementRecord, meetingId: number) => T[]) =>
    records.flatMap((record) => build(record, meetingIds.get(record.id)!));
  const links = rows((r, meetingId) => r.channels.map((slug, position) => ({ meetingId, channelId: channels.get(slug)!, position })));
  await bulkInsert(tx, 'meeting_channel', links, { skipDuplicates: true });
  if (staleIds.length > 0) {
    // Kept links may have moved in the record's list.
    const staleSet = new Set(staleIds);
    await bulkUpdate(tx, 'meeting_channel', ['meetingId', 'channelId'], links.filter((l) => staleSet.has(l.meetingId)), { onlyChanged: true });
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
      })),
    ),
  );
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
    () => tx.$executeRaw`UPDATE meeting m SET search_vector = meeting_search_vector(m) WHERE m.id = ANY(${[...meetingIds.values()]}::int[])`,
  );

  const relatedSlugs = [...new Set(records.flatMap((r) => r.related.map((l) => l.id)))];
  const targets = new Map(
    (relatedSlugs.length
      ? await tx.$queryRaw<{ id: number; slug: string }[]>`SELECT id, slug FROM meeting WHERE slug = ANY(${relatedSlugs}::text[])`
      : []
    ).map((m) => [m.slug, m.id]),
  );
  await bulkInsert(
    tx,
    'meeting_relation',
    rows((r, fromMeetingId) =>
      r.related.map((link) => ({ fromMeetingId, toMeetingId: targets.get(link.id)!, relation: toDbEnum<MeetingRelation>(link.relation) })),
    ),
    { skipDuplicates: true },
  );
  await refreshFulfilments(tx);
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

/**
 * Recomputes which later meetings fulfilled which planned or agreed outcomes. A record can
 * change another's fulfilments (a new meeting implementing an old one), so the whole table is
 * rebuilt, in the importing transaction:
 * - RELATION: meeting B `implements_outcome_of` meeting A and touches the outcome's channel;
 * - NOTE: the outcome's note cites another meeting's id ("see 2014-11-11-obama-beijing").
 */
export async function refreshFulfilments(tx: Tx): Promise<void> {
  // The regular expression's backslashes are doubled: a tagged template hands Prisma.sql its
  // cooked strings, in which an unknown escape such as \d loses its backslash (it once did, and
  // the pattern never matched). Only meetings on or after the outcome's own count ("later").
  await tx.$executeRaw`DELETE FROM outcome_fulfilment`;
  await tx.$executeRaw`
    INSERT INTO outcome_fulfilment (outcome_id, meeting_id, basis)
    SELECT DISTINCT ON (outcome_id, meeting_id) outcome_id, meeting_id, basis FROM (
      SELECT o.id AS outcome_id, r.from_meeting_id AS meeting_id, 'RELATION'::"FulfilmentBasis" AS basis
      FROM outcome o
      JOIN meeting_relation r ON r.to_meeting_id = o.meeting_id AND r.relation = 'IMPLEMENTS_OUTCOME_OF'
      JOIN meeting_channel mc ON mc.meeting_id = r.from_meeting_id AND mc.channel_id = o.channel_id
      WHERE o.status IN ('PLANNED', 'AGREED')
      UNION ALL
      SELECT o.id, cited.id, 'NOTE'::"FulfilmentBasis"
      FROM outcome o
      JOIN meeting om ON om.id = o.meeting_id
      CROSS JOIN LATERAL regexp_matches(o.note, '\\m(\\d{4}-\\d{2}(?:-\\d{2})?-[a-z0-9-]*[a-z0-9])', 'g') AS m(slug)
      JOIN meeting cited ON cited.slug = m.slug[1] AND cited.id <> o.meeting_id AND cited.start_date >= om.start_date
      WHERE o.status IN ('PLANNED', 'AGREED')
    ) AS links
    ORDER BY outcome_id, meeting_id, basis`;
}

type OutcomeData = { meetingId: number; channelId: number; position: number; description: string; status: OutcomeStatus; note: string | null };

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

/** Creates the people or organisations named, keyed by the slug of their name; returns slug → id. */
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
  await bulkInsert(tx, table, [...bySlug].map(([slug, name]) => ({ slug, name })), { skipDuplicates: true });
  const found = await tx.$queryRaw<{ id: number; slug: string }[]>`SELECT id, slug FROM ${Prisma.raw(table)}
    WHERE slug = ANY(${[...bySlug.keys()]}::text[])`;
  return new Map(found.map((row) => [row.slug, row.id]));
}

/** The trips keyed, created in order of first mention when new; returns key → id. */
async function upsertTrips(tx: Tx, mentioned: string[]): Promise<Map<string, number>> {
  const keys = [...new Set(mentioned)];
  if (keys.length === 0) return new Map();
  const find = async () =>
    new Map(
      (await tx.$queryRaw<{ id: number; key: string }[]>`SELECT id, key FROM trip WHERE key = ANY(${keys}::text[])`).map((t) => [t.key, t.id]),
    );
  const trips = await find();
  const missing = keys.filter((key) => !trips.has(key));
  if (missing.length === 0) return trips;
  await bulkInsert(tx, 'trip', missing.map((key) => ({ key })), { skipDuplicates: true });
  return find();
}
