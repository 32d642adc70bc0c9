import { Ctx, Extensions, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Source as SourceRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { Meeting } from '../meetings/meeting.type';
import type { MeetingRow } from '../meetings/meeting.service';
import { Source } from './source.type';
import { meetingPart } from '../meetings/meeting-prefetch';
import { MEETING_PART_CAPS } from '../meetings/meeting-limits';
import { bounded } from '../../common/limits/list-bounds';

@Resolver(() => Meeting)
export class MeetingSourcesResolver {
  @Extensions(bounded(MEETING_PART_CAPS.sources))
  @FieldResolver(() => [Source], { description: 'The sources behind this record, in the order the record lists them.' })
  sources(@Root() meeting: MeetingRow, @Ctx() ctx: Context): SourceRow[] | Promise<SourceRow[]> {
    return meetingPart<SourceRow[]>(ctx, 'sources', meeting.id);
  }
}
