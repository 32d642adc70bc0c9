/**
 * Writes through the API. A meeting is written whole, with the importer's own validation and
 * write path, in one transaction that also records the audit row. Updates are optimistic: the
 * client sends the version it read, and the row is locked while that is compared.
 */
import { GraphQLError } from 'graphql';
import { Prisma } from '../../generated/prisma/client';
import type { Meeting as MeetingRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { badUserInput, conflict, ErrorCode, isUniqueViolation, notFound } from '../../common/errors';
import {
  checkReferences,
  importEngagements,
  loadRecords,
  sameRecord,
  writeChanges,
  type Actor,
  type ImportReport,
} from '../engagements/engagement-import.service';
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
    outcomes: input.outcomes.map((o) => ({ ...o, status: lower(o.status) })),
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

async function lockVersion(tx: Prisma.TransactionClient, slug: string): Promise<number | null> {
  const rows = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM meeting WHERE slug = ${slug} FOR UPDATE`;
  return rows[0]?.version ?? null;
}

export async function upsertMeeting(deps: Deps, input: MeetingInput): Promise<MeetingRow> {
  const parsed = engagementRecordSchema.safeParse(recordFromInput(input));
  if (!parsed.success) {
    throw invalidInput(parsed.error.issues.map((issue) => ({ path: inputPath(fieldPath(issue.path)), message: issue.message })));
  }
  const record: EngagementRecord = parsed.data;
  try {
    return await deps.prisma.$transaction(async (tx) => {
      const { channels, errors } = await checkReferences(tx, [{ line: 1, record }]);
      if (errors.length) throw invalidInput(errors.map((e) => ({ path: inputPath(e.field), message: e.message })));
      const current = await lockVersion(tx, record.id);
      if (current !== null && input.version == null) {
        throw badUserInput('input.version', `"${record.id}" exists: send the version you read (now ${current}) to update it`);
      }
      if (current === null && input.version != null) throw conflict(`"${record.id}" no longer exists (it was deleted)`);
      if (current !== null && current !== input.version) {
        throw conflict(`"${record.id}" was changed by someone else: you sent version ${input.version}, it is now ${current}. Read it again.`);
      }
      const before = (await loadRecords(tx, [record.id])).get(record.id) ?? null;
      if (!before || !sameRecord(before, record)) {
        await writeChanges(tx, [{ before, after: record }], channels, actorOf(deps));
      }
      return tx.meeting.findUniqueOrThrow({ where: { slug: record.id } });
    });
  } catch (error) {
    // Two clients creating the same new slug at once: the loser hits the unique index.
    if (isUniqueViolation(error)) {
      throw conflict(`"${record.id}" was just created by someone else. Read it again.`);
    }
    throw error;
  }
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
    outcomes: record.outcomes.map((o) => ({ ...o, status: upper(o.status) })),
    sources: record.sources,
    trip: record.parent,
    related: record.related.map((r) => ({ slug: r.id, relation: upper(r.relation) })),
    uncertain: record.uncertain,
    uncertaintyNotes: record.uncertaintyNotes,
  };
}

/**
 * Applies a patch to the record as stored, then writes it like upsertMeeting (which checks the
 * version again under the row lock, so a patch based on a stale read still gets CONFLICT).
 */
export async function updateMeeting(deps: Deps, slug: string, version: number, patch: MeetingPatch): Promise<MeetingRow> {
  const current = (await loadRecords(deps.prisma, [slug])).get(slug);
  if (!current) throw notFound(`No meeting "${slug}"`);
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return upsertMeeting(deps, { ...inputFromRecord(current, version), ...given, slug, version } as MeetingInput);
}

export async function deleteMeeting(deps: Deps, slug: string, version: number): Promise<boolean> {
  return deps.prisma.$transaction(async (tx) => {
    const current = await lockVersion(tx, slug);
    if (current === null) {
      throw notFound(`No meeting "${slug}"`);
    }
    if (current !== version) throw conflict(`"${slug}" was changed by someone else: you sent version ${version}, it is now ${current}.`);
    // Deleting would silently change the records that link to this one.
    const referrers = await tx.meeting.findMany({
      where: { relatedFrom: { some: { to: { slug } } }, NOT: { slug } },
      select: { slug: true },
    });
    if (referrers.length) {
      throw badUserInput('slug', `other meetings relate to "${slug}" (${referrers.map((r) => r.slug).join(', ')}); remove those links first`);
    }
    const before = (await loadRecords(tx, [slug])).get(slug)!;
    await tx.meeting.delete({ where: { slug } });
    const actor = actorOf(deps);
    await tx.change.create({
      data: { actor: actor.actor, apiKeyId: actor.apiKeyId ?? null, action: 'DELETE', recordType: 'Meeting', recordSlug: slug, before, after: Prisma.DbNull },
    });
    return true;
  });
}

export function importFromApi(deps: Deps, jsonl: string, dryRun: boolean): Promise<ImportReport> {
  return importEngagements(deps.prisma, jsonl, { dryRun, actor: actorOf(deps) });
}
