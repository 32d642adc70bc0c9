import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Change as ChangeRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { ForwardPageArgs } from '../../common/pagination';
import { Meeting } from '../meetings/meeting.type';
import type { MeetingRow } from '../meetings/meeting.service';
import { listChanges } from './changes.service';
import { deleteMeeting, importFromApi, updateMeeting, upsertMeeting } from './curation.service';
import { Change, ChangeConnection, ChangeFilter, ImportReport, MAX_IMPORT_ERRORS } from './curation.types';
import { MeetingInput, MeetingPatch } from './meeting.input';

@Resolver()
export class CurationResolver {
  @Authorized('EDITOR')
  @Mutation(() => Meeting, {
    description:
      'EDITOR. Creates the meeting, or replaces it when `input.slug` exists (send `input.version`; a stale one gets ' +
      'CONFLICT). Invalid input gets BAD_USER_INPUT with every invalid field in `extensions.invalidFields`, and ' +
      'nothing is written. Audited.',
  })
  upsertMeeting(@Ctx() ctx: Context, @Arg('input', () => MeetingInput, { description: 'The whole record.' }) input: MeetingInput) {
    return upsertMeeting(ctx, input);
  }

  @Authorized('EDITOR')
  @Mutation(() => Meeting, {
    description:
      'EDITOR. Changes only the given fields of a meeting; lists given replace the lists (outcomes, participants, ' +
      'hosts, sources, channels, related). Same validation, versioning and audit as upsertMeeting.',
  })
  updateMeeting(
    @Ctx() ctx: Context,
    @Arg('slug', () => String, { description: 'The meeting to change.' }) slug: string,
    @Arg('version', () => Int, { description: 'The version you read; a stale one gets CONFLICT.' }) version: number,
    @Arg('patch', () => MeetingPatch, { description: 'The fields to change.' }) patch: MeetingPatch,
  ) {
    return updateMeeting(ctx, slug, version, patch);
  }

  @Authorized('EDITOR')
  @Mutation(() => Boolean, {
    description: 'EDITOR. Deletes a meeting and its parts; refused while other meetings relate to it. Audited.',
  })
  deleteMeeting(
    @Ctx() ctx: Context,
    @Arg('slug', () => String, { description: 'The meeting to delete.' }) slug: string,
    @Arg('version', () => Int, { description: 'The version you read; a stale one gets CONFLICT.' }) version: number,
  ) {
    return deleteMeeting(ctx, slug, version);
  }

  @Authorized('EDITOR')
  @Mutation(() => ImportReport, {
    description:
      "EDITOR. Imports records in the data set's JSONL format, like `npm run import`: all or nothing, idempotent by " +
      'record id, per-line errors. Audited.',
  })
  async importEngagements(
    @Ctx() ctx: Context,
    @Arg('jsonl', () => String, { description: 'One JSON record per line.' }) jsonl: string,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false, description: 'Report what would change, write nothing.' })
    dryRun: boolean | null,
  ) {
    const report = await importFromApi(ctx, jsonl, dryRun ?? false);
    return { ...report, errors: report.errors.slice(0, MAX_IMPORT_ERRORS), errorCount: report.errors.length };
  }

  @Authorized('ADMIN')
  @Query(() => ChangeConnection, { description: 'ADMIN. The audit trail, newest first.' })
  changes(
    @Ctx() ctx: Context,
    @Args() page: ForwardPageArgs,
    @Arg('filter', () => ChangeFilter, { nullable: true, description: 'Which entries.' }) filter?: ChangeFilter | null,
  ) {
    return listChanges(ctx, { ...page, filter });
  }
}

@Resolver(() => Change)
export class ChangeResolver {
  @FieldResolver(() => ID, { description: 'Sequence number of the entry.' })
  id(@Root() change: ChangeRow): string {
    return String(change.id);
  }

  @FieldResolver(() => String, { description: 'When, as an ISO 8601 timestamp.' })
  at(@Root() change: ChangeRow): string {
    return change.at.toISOString();
  }
}

@Resolver(() => Meeting)
export class MeetingVersionResolver {
  @FieldResolver(() => Int, { description: 'Incremented by every write; send it back with an update (optimistic locking).' })
  version(@Root() meeting: MeetingRow): number {
    return meeting.version;
  }
}
