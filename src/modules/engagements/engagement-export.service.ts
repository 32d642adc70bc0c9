/**
 * Exports the database in the data set's format (prisma/seed/README.md), the reverse of
 * engagement-import.service.ts. The output is shaped like prisma/seed/engagements.jsonl — same
 * order of records and of keys, same optional keys left out, same spacing — so that an export
 * of the seeded database can be diffed against the seed file line by line, and an export
 * imported into an empty database exports to the same bytes.
 */
import type { DatePrecision, Prisma, PrismaClient } from '../../generated/prisma/client';
import type { EngagementRecord } from './engagement.record';
import { meetingRecordInclude, periodEnd, recordFromMeeting } from './engagement.mapping';

export interface ExportOptions {
  /** Meetings loaded per query, so that a large database is never read in one go. */
  batchSize?: number;
}

/** The whole database as one newline-terminated JSONL string. */
export async function exportEngagements(prisma: PrismaClient, options: ExportOptions = {}): Promise<string> {
  const chunks: string[] = [];
  await writeEngagements(prisma, (chunk) => void chunks.push(chunk), options);
  return chunks.join('');
}

/**
 * Hands the export to `write` one batch of lines at a time, awaiting it (a file or a pipe can
 * apply backpressure). Returns the number of records written.
 */
export async function writeEngagements(
  prisma: PrismaClient,
  write: (chunk: string) => void | Promise<void>,
  options: ExportOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  // One snapshot for every batch: Prisma reads a meeting's parts in separate statements, and an
  // import committing in between would otherwise yield a record that mixes old and new parts.
  return prisma.$transaction(
    async (tx) => {
      const order = exportOrder(
        await tx.meeting.findMany({ select: { id: true, slug: true, startDate: true, datePrecision: true, periodEnd: true } }),
      );
      for (let offset = 0; offset < order.length; offset += batchSize) {
        const ids = order.slice(offset, offset + batchSize);
        const byId = new Map((await loadMeetings(tx, ids)).map((m) => [m.id, m]));
        await write(ids.map((id) => `${formatJson(interchangeRecord(recordFromMeeting(byId.get(id)!)))}\n`).join(''));
      }
      return order.length;
    },
    { isolationLevel: 'RepeatableRead', timeout: 10 * 60_000, maxWait: 30_000 },
  );
}

/**
 * The data file's order: by start date, then by end date, then by id. A month-precision date
 * sorts after the days of its month, because its day is unknown: the file puts "June 2013"
 * after 7 June 2013 and "October 2023" after 26 October 2023. Ids compare by code unit, not by
 * locale, so the order does not depend on the machine.
 */
function exportOrder(meetings: { id: number; slug: string; startDate: Date; datePrecision: DatePrecision; periodEnd: Date }[]): number[] {
  return meetings
    .map((m) => ({ id: m.id, slug: m.slug, start: periodEnd(m.startDate, null, m.datePrecision).getTime(), end: m.periodEnd.getTime() }))
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    .map((m) => m.id);
}

type MeetingRecordRow = Prisma.MeetingGetPayload<{ include: typeof meetingRecordInclude }>;
type Include = Record<string, unknown>;

/**
 * The meetings with meetingRecordInclude, loaded one relation path per query. Prisma loads
 * sibling relations concurrently, and inside a transaction they share its one connection, where
 * pg queues them behind a deprecation warning (an error from pg 9 on).
 */
async function loadMeetings(tx: Prisma.TransactionClient, ids: number[]): Promise<MeetingRecordRow[]> {
  let meetings: unknown[] | undefined;
  for (const include of includePaths(meetingRecordInclude)) {
    const part = await tx.meeting.findMany({ where: { id: { in: ids } }, include, orderBy: { id: 'asc' } });
    meetings = meetings === undefined ? part : (mergeRows(meetings, part) as unknown[]);
  }
  return meetings as MeetingRecordRow[];
}

/** `{a: {include: {b: true, c: true}}}` → `[{a: {include: {b: true}}}, {a: {include: {c: true}}}]` */
function includePaths(include: Include): Include[] {
  return Object.entries(include).flatMap(([key, value]) => {
    if (typeof value !== 'object' || value === null || !('include' in value)) return [{ [key]: value }];
    const { include: nested, ...rest } = value as { include: Include };
    return includePaths(nested).map((path) => ({ [key]: { ...rest, include: path } }));
  });
}

/**
 * Lists pair up by index: the meetings, and every relation split over several queries
 * (participations), are ordered by a unique key, and all queries read the same snapshot. Rows
 * with an id are checked, so that a split relation without such an order fails loudly rather
 * than mixing rows.
 */
function mergeRows(target: unknown, source: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(source)) {
    if (target.length !== source.length) throw new Error('export: partial loads of a relation disagree in length');
    return target.map((row, index) => mergeRows(row, source[index]));
  }
  if (isRow(target) && isRow(source)) {
    if ('id' in target && target.id !== source.id) throw new Error('export: partial loads of a relation disagree in order');
    for (const [key, value] of Object.entries(source)) target[key] = key in target ? mergeRows(target[key], value) : value;
    return target;
  }
  return source;
}

const isRow = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !(value instanceof Date);

type Participant = EngagementRecord['participants'][number];

/**
 * The record with the data file's key order. Keys the file leaves out when they have no value
 * are left out here too; keys it always writes stay, as null. `summary` is not in the data file
 * at all, so it appears only where a record has one.
 */
export function interchangeRecord(record: EngagementRecord): Record<string, unknown> {
  return {
    id: record.id,
    title: record.title,
    startDate: record.startDate,
    endDate: record.endDate,
    datePrecision: record.datePrecision,
    kind: record.kind,
    track: record.track,
    mode: record.mode,
    city: record.city,
    region: record.region,
    country: record.country,
    countryCode: record.countryCode,
    venue: record.venue,
    ...present('summary', record.summary),
    hosts: record.hosts,
    participants: record.participants.map(interchangeParticipant),
    channels: record.channels,
    outcomes: record.outcomes.map((o) => ({
      channel: o.channel,
      description: o.description,
      status: o.status,
      ...present('note', o.note),
      // Left out when empty, as files written before provenance existed have them.
      ...present('assertedBy', o.assertedBy.length ? o.assertedBy : null),
      ...present('sources', o.sources.length ? o.sources : null),
    })),
    sources: record.sources.map((s) => ({
      publisher: s.publisher,
      title: s.title,
      url: s.url,
      publishedDate: s.publishedDate,
      ...present('note', s.note),
    })),
    parent: record.parent,
    related: record.related.map((link) => ({ id: link.id, relation: link.relation })),
    uncertain: record.uncertain,
    uncertaintyNotes: record.uncertaintyNotes,
  };
}

/** `name` is null for an unnamed group, which the file writes out; a group has no `role` there. */
function interchangeParticipant(p: Participant): Record<string, unknown> {
  return {
    name: p.name,
    ...present('delegation', p.delegation),
    ...present('headcount', p.headcount),
    ...present('role', p.role),
    organization: p.organization,
    side: p.side,
    ...present('note', p.note),
  };
}

const present = <K extends string, V>(key: K, value: V | null) => (value === null ? {} : ({ [key]: value } as Record<K, V>));

/**
 * JSON with a space after `,` and `:`, the spacing of the data file (Python's json.dumps with
 * ensure_ascii off), so exports diff cleanly against it. String escaping is JSON.stringify's,
 * which for this purpose is the same as Python's.
 */
export function formatJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${formatJson(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
