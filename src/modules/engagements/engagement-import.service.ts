/**
 * Imports files in the data set's format. One code path serves the CLI (`npm run import`),
 * seeding and, later, the API's importEngagements mutation.
 *
 * A file is all-or-nothing: every line is validated (shape, then references to channels and
 * other engagements) before anything is written, and the writes run in one transaction.
 * Records are identified by their `id`, so importing the same file twice changes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import { Prisma, type OutcomeStatus, type PrismaClient } from '../../generated/prisma/client';
import { slugify } from '../../common/slug';
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
    if (!before) report.created += 1;
    else if (sameRecord(before, record)) report.unchanged += 1;
    else report.updated += 1;
    if (!before || !sameRecord(before, record)) changes.push({ before, after: record });
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
  const existingRelated = new Set(
    (await db.meeting.findMany({ where: { slug: { in: relatedIds.filter((id) => !inBatch.has(id)) } }, select: { slug: true } })).map(
      (m) => m.slug,
    ),
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
  // One statement (JSON joins): inside a transaction, Prisma's default of one query per relation
  // would run them concurrently on the transaction's single connection, which pg warns about.
  const meetings = await db.meeting.findMany({ where: { slug: { in: slugs } }, include: meetingRecordInclude, relationLoadStrategy: 'join' });
  return new Map(meetings.map((meeting) => [meeting.slug, recordFromMeeting(meeting)]));
}

/** Writes the records and one audit row for each; call inside a transaction. */
export async function writeChanges(
  tx: Prisma.TransactionClient,
  changes: RecordChange[],
  channels: Map<string, number>,
  actor: Actor,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  await writeRecords(tx, changes.map((c) => c.after), channels, onProgress);
  await tx.change.createMany({
    data: changes.map(({ before, after }) => ({
      actor: actor.actor,
      apiKeyId: actor.apiKeyId ?? null,
      action: before ? 'UPDATE' : 'CREATE',
      recordType: 'Meeting',
      recordSlug: after.id,
      before: before ?? Prisma.DbNull,
      after,
    })),
  });
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
  const people = await upsertBySlug(
    tx,
    'person',
    records.flatMap((r) => r.participants.map((p) => p.name).filter((name): name is string => name !== null)),
  );
  const organizations = await upsertBySlug(
    tx,
    'organization',
    records.flatMap((r) => [...r.hosts, ...r.participants.map((p) => p.organization).filter((o): o is string => o !== null)]),
  );
  const trips = new Map<string, number>();
  for (const key of new Set(records.map((r) => r.parent).filter((p): p is string => p !== null))) {
    trips.set(key, (await tx.trip.upsert({ where: { key }, create: { key }, update: {}, select: { id: true } })).id);
  }

  // A record is the unit of truth and positions keep its order, so children are replaced
  // wholesale — except outcomes, which are Nodes with ids clients keep: those are updated in
  // place by position (see keepOutcomes), and channel links only lose the channels that went.
  const slugs = records.map((r) => r.id);
  const stale = await tx.meeting.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  const staleIds = stale.map((m) => m.id);
  if (staleIds.length > 0) {
    const keptLinks = stale.flatMap((m) =>
      records.find((r) => r.id === m.slug)!.channels.map((slug) => Prisma.sql`(${m.id}::int, ${channels.get(slug)!}::int)`),
    );
    // Cascades to the outcomes on channels the record no longer lists.
    await tx.$executeRaw`DELETE FROM meeting_channel WHERE meeting_id = ANY(${staleIds}::int[])
      ${keptLinks.length ? Prisma.sql`AND (meeting_id, channel_id) NOT IN (${Prisma.join(keptLinks)})` : Prisma.empty}`;
    await tx.participation.deleteMany({ where: { meetingId: { in: staleIds } } });
    await tx.host.deleteMany({ where: { meetingId: { in: staleIds } } });
    await tx.source.deleteMany({ where: { meetingId: { in: staleIds } } });
    await tx.meetingRelationLink.deleteMany({ where: { fromMeetingId: { in: staleIds } } });
  }

  // Existing meetings are updated one by one (their values differ); new ones go in by the
  // thousand, which is what makes large first imports fast.
  const columnsOf = (record: EngagementRecord) => ({
    ...meetingColumns(record),
    tripId: record.parent === null ? null : trips.get(record.parent)!,
  });
  const meetingIds = new Map(stale.map((m) => [m.slug, m.id]));
  let done = 0;
  for (const record of records.filter((r) => meetingIds.has(r.id))) {
    await tx.meeting.update({ where: { id: meetingIds.get(record.id)! }, data: { ...columnsOf(record), version: { increment: 1 } } });
    onProgress?.(++done, records.length);
  }
  const fresh = records.filter((r) => !meetingIds.has(r.id));
  for (let start = 0; start < fresh.length; start += 1000) {
    const chunk = fresh.slice(start, start + 1000);
    const created = await tx.meeting.createManyAndReturn({ data: chunk.map(columnsOf), select: { id: true, slug: true } });
    for (const { id, slug } of created) meetingIds.set(slug, id);
    done += chunk.length;
    onProgress?.(done, records.length);
  }

  const rows = <T>(build: (record: EngagementRecord, meetingId: number) => T[]) =>
    records.flatMap((record) => build(record, meetingIds.get(record.id)!));
  const links = rows((r, meetingId) => r.channels.map((slug, position) => ({ meetingId, channelId: channels.get(slug)!, position })));
  await tx.meetingChannel.createMany({ data: links, skipDuplicates: true });
  if (staleIds.length > 0 && links.length > 0) {
    // Kept links may have moved in the record's list.
    await tx.$executeRaw`UPDATE meeting_channel mc SET position = v.position
      FROM (VALUES ${Prisma.join(links.map((l) => Prisma.sql`(${l.meetingId}::int, ${l.channelId}::int, ${l.position}::int)`))})
        AS v(meeting_id, channel_id, position)
      WHERE mc.meeting_id = v.meeting_id AND mc.channel_id = v.channel_id AND mc.position <> v.position`;
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
  await tx.participation.createMany({
    data: rows((r, meetingId) =>
      r.participants.map((p, position) => ({
        meetingId,
        position,
        personId: p.name === null ? null : people.get(slugify(p.name))!,
        delegation: p.delegation,
        headcount: p.headcount,
        role: p.role,
        organizationId: p.organization === null ? null : organizations.get(slugify(p.organization))!,
        side: toDbSide(p.side),
        note: p.note,
      })),
    ),
  });
  await tx.host.createMany({
    data: rows((r, meetingId) =>
      [...new Set(r.hosts.map(slugify))].map((slug, position) => ({ meetingId, organizationId: organizations.get(slug)!, position })),
    ),
  });
  await tx.source.createMany({
    data: rows((r, meetingId) => r.sources.map((s, position) => ({ meetingId, position, ...s }))),
  });
  // A meeting's search document includes its participants', hosts' and sources' text, so it is
  // rebuilt once all of them are written; this is the only place meetings are written.
  await tx.$executeRaw`UPDATE meeting m SET search_vector = meeting_search_vector(m) WHERE m.id = ANY(${[...meetingIds.values()]}::int[])`;

  const targets = new Map(
    (
      await tx.meeting.findMany({
        where: { slug: { in: [...new Set(records.flatMap((r) => r.related.map((l) => l.id)))] } },
        select: { id: true, slug: true },
      })
    ).map((m) => [m.slug, m.id]),
  );
  await tx.meetingRelationLink.createMany({
    data: rows((r, fromMeetingId) =>
      r.related.map((link) => ({ fromMeetingId, toMeetingId: targets.get(link.id)!, relation: toDbEnum(link.relation) })),
    ),
    skipDuplicates: true,
  });
  await refreshFulfilments(tx);
}

/**
 * Recomputes which later meetings fulfilled which planned or agreed outcomes. A record can
 * change another's fulfilments (a new meeting implementing an old one), so the whole table is
 * rebuilt, in the importing transaction:
 * - RELATION: meeting B `implements_outcome_of` meeting A and touches the outcome's channel;
 * - NOTE: the outcome's note cites another meeting's id ("see 2014-11-11-obama-beijing").
 */
export async function refreshFulfilments(tx: Tx): Promise<void> {
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
      CROSS JOIN LATERAL regexp_matches(o.note, '\m(\d{4}-\d{2}(?:-\d{2})?-[a-z0-9-]*[a-z0-9])', 'g') AS m(slug)
      JOIN meeting cited ON cited.slug = m.slug[1] AND cited.id <> o.meeting_id
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
      ? (await tx.outcome.findMany({ where: { meetingId: { in: staleIds } }, select: { meetingId: true, position: true } })).map(
          (o) => `${o.meetingId}:${o.position}`,
        )
      : [],
  );
  const wanted = new Set(outcomes.map((o) => `${o.meetingId}:${o.position}`));
  const surplus = [...existing].filter((key) => !wanted.has(key)).map((key) => key.split(':').map(Number));
  if (surplus.length) {
    await tx.$executeRaw`DELETE FROM outcome WHERE (meeting_id, position) IN (${Prisma.join(
      surplus.map(([meetingId, position]) => Prisma.sql`(${meetingId}::int, ${position}::int)`),
    )})`;
  }
  const updates = outcomes.filter((o) => existing.has(`${o.meetingId}:${o.position}`));
  if (updates.length) {
    await tx.$executeRaw`UPDATE outcome o SET channel_id = v.channel_id, description = v.description,
        status = v.status::"OutcomeStatus", note = v.note
      FROM (VALUES ${Prisma.join(
        updates.map((u) => Prisma.sql`(${u.meetingId}::int, ${u.position}::int, ${u.channelId}::int, ${u.description}, ${u.status}, ${u.note}::text)`),
      )}) AS v(meeting_id, position, channel_id, description, status, note)
      WHERE o.meeting_id = v.meeting_id AND o.position = v.position`;
  }
  await tx.outcome.createMany({ data: outcomes.filter((o) => !existing.has(`${o.meetingId}:${o.position}`)) });
}

/** Creates the people or organisations named, keyed by the slug of their name; returns slug → id. */
async function upsertBySlug(tx: Tx, model: 'person' | 'organization', names: string[]): Promise<Map<string, number>> {
  const bySlug = new Map<string, string>();
  for (const name of names) {
    const slug = slugify(name);
    if (slug && !bySlug.has(slug)) bySlug.set(slug, name);
  }
  const data = [...bySlug].map(([slug, name]) => ({ slug, name }));
  const delegate = tx[model] as unknown as Prisma.PersonDelegate;
  await delegate.createMany({ data, skipDuplicates: true });
  const found = await delegate.findMany({ where: { slug: { in: [...bySlug.keys()] } }, select: { id: true, slug: true } });
  return new Map(found.map((row) => [row.slug, row.id]));
}
