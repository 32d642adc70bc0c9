/**
 * Writes through the API. A meeting is written whole, with the importer's own validation and
 * write path, in one transaction that also records the audit row. Updates are optimistic: the
 * client sends the version it read, and the row is locked while that is compared. A transaction
 * that PostgreSQL aborts for a deadlock or a serialization failure is run again (writeTransaction);
 * CONFLICT and every other refusal are answers, never retried.
 */
import { GraphQLError } from 'graphql';
import type { Meeting as MeetingRow, Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { badUserInput, conflict, ErrorCode, isUniqueViolation, notFound } from '../../common/errors';
import { writeTransaction } from '../../db/write-transaction';
import { writeAudit, type Actor } from '../engagements/engagement.audit';
import { importEngagements, writeChanges, type ImportReport } from '../engagements/engagement-import.service';
import { checkReferences, loadRecords, sameRecord } from '../engagements/engagement.reader';
import { deleteRecord, lockMeetings, type LockedMeeting } from '../engagements/engagement.writer';
import { TRACK_FROM_DB, toDbTrack } from '../engagements/engagement.mapping';
import { engagementRecordSchema, fieldPath, type EngagementRecord } from '../engagements/engagement.record';
import type { MeetingInput, MeetingPatch } from './meeting.input';

type Deps = Pick<Context, 'prisma' | 'caller'>;

function actorOf(deps: Deps): Actor {
  return deps.caller.kind === 'key' ? { actor: deps.caller.name, apiKeyId: deps.caller.id } : { actor: 'anonymous' };
}

/** The input in the interchange format, so that one schema validates API and file alike. */
function recordFromInput(input: MeetingInput): unknown {
  const lower = (value: string) => value.toLowerCase();
  return {
    id: input.slug,
    title: input.title,
    startDate: input.startDate,
    endDate: input.endDate ?? null,
    datePrecision: lower(input.datePrecision),
    kind: lower(input.kind),
    track: TRACK_FROM_DB[input.track],
    mode: lower(input.mode),
    city: input.city ?? null,
    region: input.region ?? null,
    country: input.country ?? null,
    countryCode: input.countryCode ?? null,
    venue: input.venue ?? null,
    summary: input.summary ?? null,
    hosts: input.hosts,
    participants: input.participants.map((p) => ({ ...p, side: p.side === 'OTHER' ? 'other' : p.side })),
    channels: input.channels,
    outcomes: input.outcomes.map((o) => ({ ...o, status: lower(o.status), assertedBy: o.assertedBy?.map(lower) })),
    sources: input.sources,
    parent: input.trip ?? null,
    related: input.related.map((r) => ({ id: r.slug, relation: lower(r.relation) })),
    uncertain: input.uncertain,
    uncertaintyNotes: input.uncertaintyNotes ?? null,
  };
}

/** Record field paths back to the input's names (`id` is `slug`, `parent` is `trip`). */
function inputPath(field: string | null): string {
  const renamed = (field ?? '')
    .replace(/^id\b/, 'slug')
    .replace(/^parent\b/, 'trip')
    .replace(/^(related\[\d+\])\.id\b/, '$1.slug');
  return renamed ? `input.${renamed}` : 'input';
}

function invalidInput(problems: { path: string; message: string }[]): GraphQLError {
  return new GraphQLError(`Invalid input: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: 'input', invalidFields: problems },
  });
}

async function lockMeeting(tx: Prisma.TransactionClient, slug: string): Promise<LockedMeeting | null> {
  return (await lockMeetings(tx, [slug])).get(slug) ?? null;
}

function staleVersion(slug: string, sent: number, current: number): GraphQLError {
  return conflict(`"${slug}" was changed by someone else: you sent version ${sent}, it is now ${current}. Read it again.`);
}

/** The input validated as a record, or BAD_USER_INPUT listing every invalid field. */
function validRecord(input: MeetingInput): EngagementRecord {
  const parsed = engagementRecordSchema.safeParse(recordFromInput(input));
  if (!parsed.success) {
    throw invalidInput(parsed.error.issues.map((issue) => ({ path: inputPath(fieldPath(issue.path)), message: issue.message })));
  }
  return parsed.data;
}

/** Channel slug → id, or BAD_USER_INPUT naming every unknown channel and related meeting. */
async function checkedReferences(tx: Prisma.TransactionClient, record: EngagementRecord): Promise<Map<string, number>> {
  const { channels, errors } = await checkReferences(tx, [{ line: 1, record }]);
  if (errors.length) throw invalidInput(errors.map((e) => ({ path: inputPath(e.field), message: e.message })));
  return channels;
}

/**
 * Writes the record in the caller's transaction, the meeting's row (if it exists) being locked
 * already and its version checked, `before` being what it holds; nothing is written when the
 * record is unchanged.
 */
async function writeRecord(
  tx: Prisma.TransactionClient,
  deps: Deps,
  before: EngagementRecord | null,
  record: EngagementRecord,
  channels: Map<string, number>,
): Promise<MeetingRow> {
  if (!before || !sameRecord(before, record)) {
    await writeChanges(tx, [{ before, after: record }], channels, actorOf(deps));
  }
  return tx.meeting.findUniqueOrThrow({ where: { slug: record.id } });
}

/** Runs a write, answering CONFLICT when another client created the same new meeting first. */
async function creatingOnce<T>(slug: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    // Two clients creating the same new slug at once: the loser hits the unique index.
    if (isUniqueViolation(error)) throw conflict(`"${slug}" was just created by someone else. Read it again.`);
    throw error;
  }
}

export async function upsertMeeting(deps: Deps, input: MeetingInput): Promise<MeetingRow> {
  const record = validRecord(input);
  return creatingOnce(record.id, () =>
    writeTransaction(deps.prisma, async (tx) => {
      const channels = await checkedReferences(tx, record);
      const current = await lockMeeting(tx, record.id);
      if (current !== null && input.version == null) {
        throw badUserInput('input.version', `"${record.id}" exists: send the version you read (now ${current.version}) to update it`);
      }
      if (current === null && input.version != null) throw conflict(`"${record.id}" no longer exists (it was deleted)`);
      if (current !== null && current.version !== input.version) throw staleVersion(record.id, input.version!, current.version);
      const before = current && (await loadRecords(tx, [record.id])).get(record.id)!;
      return writeRecord(tx, deps, before, record, channels);
    }),
  );
}

/** The stored record as a MeetingInput, so that a patch can be laid over it. */
function inputFromRecord(record: EngagementRecord, version: number): MeetingInput {
  const upper = <T extends string>(value: string) => value.toUpperCase() as T;
  return {
    slug: record.id,
    version,
    title: record.title,
    startDate: record.startDate,
    endDate: record.endDate,
    datePrecision: upper(record.datePrecision),
    kind: upper(record.kind),
    track: toDbTrack(record.track),
    mode: upper(record.mode),
    city: record.city,
    region: record.region,
    country: record.country,
    countryCode: record.countryCode,
    venue: record.venue,
    summary: record.summary,
    hosts: record.hosts,
    participants: record.participants.map((p) => ({ ...p, side: upper(p.side) })),
    channels: record.channels,
    outcomes: record.outcomes.map((o) => ({ ...o, status: upper(o.status), assertedBy: o.assertedBy.map((a) => upper(a)) })),
    sources: record.sources,
    trip: record.parent,
    related: record.related.map((r) => ({ slug: r.id, relation: upper(r.relation) })),
    uncertain: record.uncertain,
    uncertaintyNotes: record.uncertaintyNotes,
  };
}

/**
 * Applies a patch to the record as stored, then writes it like upsertMeeting. The record is read
 * under the row lock, after the version is checked, so the patch is laid over exactly the
 * version the client read.
 */
export async function updateMeeting(deps: Deps, slug: string, version: number, patch: MeetingPatch): Promise<MeetingRow> {
  return writeTransaction(deps.prisma, async (tx) => {
    const locked = await lockMeeting(tx, slug);
    if (!locked) throw notFound(`No meeting "${slug}"`);
    if (locked.version !== version) throw staleVersion(slug, version, locked.version);
    const current = (await loadRecords(tx, [slug])).get(slug)!;
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const record = validRecord({ ...inputFromRecord(current, version), ...given, slug, version } as MeetingInput);
    return writeRecord(tx, deps, current, record, await checkedReferences(tx, record));
  });
}

export async function deleteMeeting(deps: Deps, slug: string, version: number): Promise<boolean> {
  return writeTransaction(deps.prisma, async (tx) => {
    const current = await lockMeeting(tx, slug);
    if (current === null) throw notFound(`No meeting "${slug}"`);
    if (current.version !== version)
      throw conflict(`"${slug}" was changed by someone else: you sent version ${version}, it is now ${current.version}.`);
    const before = (await loadRecords(tx, [slug])).get(slug)!;
    const { referrers } = await deleteRecord(tx, current.id);
    if (referrers.length) {
      throw badUserInput('slug', `other meetings relate to "${slug}" (${referrers.join(', ')}); remove those links first`);
    }
    await writeAudit(tx, actorOf(deps), [{ before, after: null }]);
    return true;
  });
}

export function importFromApi(deps: Deps, jsonl: string, dryRun: boolean): Promise<ImportReport> {
  return importEngagements(deps.prisma, jsonl, { dryRun, actor: actorOf(deps) });
}
