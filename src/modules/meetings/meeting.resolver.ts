import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { LIST_LIMITS, limitDescription, listLimit } from '../../common/limits/list-bounds';
import type { Context } from '../../context';
import { PageArgs } from '../../common/pagination';
import { toGlobalId } from '../../common/global-id';
import { lookupByIdOrSlug } from '../../common/lookup';
import { formatPartialDate } from '../engagements/engagement.mapping';
import { Meeting, RelatedMeeting, RelationDirection } from './meeting.type';
import { MeetingConnection } from './meeting-connection.type';
import { MeetingFilter } from '../filters/filters.input';
import { MeetingOrder } from './meeting-order.enum';
import { listMeetings, meetingBySlug, type MeetingRow } from './meeting.service';
import { meetingPart } from './meeting-prefetch';
import type { MeetingRelation } from './meeting.enums';

/** A link as the related part holds it (meeting.loaders.ts, meeting-prefetch.ts). */
type RelatedLink = { relation: MeetingRelation; outgoing: boolean; otherId: number };

@Resolver(() => Meeting)
export class MeetingResolver {
  @Query(() => Meeting, {
    nullable: true,
    description: "One meeting, by global `id` or by `slug` (the data set's id). Null when nothing matches.",
  })
  async meeting(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'Global id, as returned in `Meeting.id`.' }) id?: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'The data set\'s key, e.g. "2023-06-18-blinken-beijing".' })
    slug?: string | null,
  ): Promise<MeetingRow | null> {
    return lookupByIdOrSlug(
      'Meeting',
      { id, slug },
      (key) => ctx.loaders.meetingById.load(key),
      (key) => meetingBySlug(ctx, key),
    );
  }

  @Query(() => MeetingConnection, { description: 'Meetings matching a filter, newest first unless `orderBy` says otherwise.' })
  meetings(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => MeetingFilter, { nullable: true, description: 'Conditions the meetings must meet.' })
    filter?: MeetingFilter | null,
    @Arg('orderBy', () => [MeetingOrder], { nullable: true, description: 'Sort order; default START_DATE_DESC.' })
    orderBy?: MeetingOrder[] | null,
  ) {
    return listMeetings(ctx, { ...page, filter, orderBy });
  }

  @FieldResolver(() => ID, { description: 'Opaque global id; `node(id:)` resolves it.' })
  id(@Root() meeting: MeetingRow): string {
    return toGlobalId('Meeting', meeting.id);
  }

  @FieldResolver(() => String)
  startDate(@Root() meeting: MeetingRow): string {
    return formatPartialDate(meeting.startDate, meeting.datePrecision);
  }

  @FieldResolver(() => String, { nullable: true })
  endDate(@Root() meeting: MeetingRow): string | null {
    return meeting.endDate && formatPartialDate(meeting.endDate, meeting.datePrecision);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Key of the trip this meeting was part of (the data set's `parent`), shared by its sibling meetings.",
  })
  async trip(@Root() meeting: MeetingRow, @Ctx() ctx: Context): Promise<string | null> {
    return meeting.tripId === null ? null : ((await ctx.loaders.tripById.load(meeting.tripId))?.key ?? null);
  }

  @FieldResolver(() => [RelatedMeeting], {
    description: 'Meetings linked to this one, in both directions (see `direction`); the first `limit` of them.',
  })
  async related(
    @Root() meeting: MeetingRow,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, {
      nullable: true,
      defaultValue: LIST_LIMITS.related.default,
      description: limitDescription(LIST_LIMITS.related, 'links'),
    })
    limit?: number | null,
  ): Promise<RelatedMeeting[]> {
    const links = (await meetingPart<RelatedLink[]>(ctx, 'related', meeting.id)).slice(0, listLimit(limit, LIST_LIMITS.related));
    const others = await ctx.loaders.meetingById.loadMany(links.map((link) => link.otherId));
    return links.map((link, index) => ({
      relation: link.relation,
      direction: link.outgoing ? RelationDirection.OUTGOING : RelationDirection.INCOMING,
      meeting: others[index] as unknown as Meeting,
    }));
  }
}
