/**
 * What the database holds, for the write paths: the stored records, and whether what new records
 * point at (channels, other engagements) exists.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { EngagementRecord } from './engagement.record';
import { meetingRecordInclude, recordFromMeeting } from './engagement.mapping';
import type { ImportError, ParsedLine } from './engagement.parser';

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
        errors.push({
          line,
          field: `channels[${index}]`,
          message: `unknown channel "${channel}"; known: ${[...channels.keys()].join(', ')}`,
        });
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

/** Whether a stored record and a new one say the same; `related` is a set, its order is not kept. */
export function sameRecord(a: EngagementRecord, b: EngagementRecord): boolean {
  const order = (record: EngagementRecord) => ({
    ...record,
    related: [...record.related].sort((x, y) => (x.id + x.relation).localeCompare(y.id + y.relation)),
  });
  return isDeepStrictEqual(order(a), order(b));
}
