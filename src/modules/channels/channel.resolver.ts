import { Arg, Args, Ctx, Extensions, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Prisma, type Channel as ChannelRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { toGlobalId } from '../../common/global-id';
import { PageArgs } from '../../common/pagination';
import { Meeting } from '../meetings/meeting.type';
import { MeetingConnection } from '../meetings/meeting-connection.type';
import { MeetingFilter } from '../filters/filters.input';
import { MeetingOrder } from '../meetings/meeting-order.enum';
import { listMeetings, type MeetingRow } from '../meetings/meeting.service';
import { meetingPart } from '../meetings/meeting-prefetch';
import { bounded } from '../../common/limits/list-bounds';
import { MEETING_PART_CAPS } from '../meetings/meeting-limits';
import { MAX_CHANNELS } from './channel-limits';
import { Channel } from './channel.type';

@Resolver(() => Channel)
export class ChannelResolver {
  @Extensions(bounded(MAX_CHANNELS))
  @Query(() => [Channel], { description: "All channels, in the data set's order." })
  channels(@Ctx() ctx: Context): Promise<ChannelRow[]> {
    return ctx.loaders.allChannels();
  }

  @Query(() => Channel, { nullable: true, description: 'One channel by slug; null when there is none.' })
  async channel(
    @Ctx() ctx: Context,
    @Arg('slug', () => String, { description: 'The channel\'s slug, e.g. "military".' }) slug: string,
  ): Promise<ChannelRow | null> {
    return (await ctx.loaders.allChannels()).find((c) => c.slug === slug) ?? null;
  }

  @FieldResolver(() => ID, { description: 'Opaque global id; `node(id:)` resolves it.' })
  id(@Root() channel: ChannelRow): string {
    return toGlobalId('Channel', channel.id);
  }

  @FieldResolver(() => MeetingConnection, { description: 'Meetings that touched this channel, newest first by default.' })
  meetings(
    @Root() channel: ChannelRow,
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => MeetingFilter, { nullable: true, description: 'Further conditions on the meetings.' })
    filter?: MeetingFilter | null,
    @Arg('orderBy', () => [MeetingOrder], { nullable: true, description: 'Sort order; default START_DATE_DESC.' })
    orderBy?: MeetingOrder[] | null,
  ) {
    return listMeetings(
      ctx,
      { ...page, filter, orderBy },
      {
        where: Prisma.sql`EXISTS (SELECT 1 FROM meeting_channel mc WHERE mc.meeting_id = m.id AND mc.channel_id = ${channel.id})`,
        // Every link has its meeting (foreign key), so counting the links counts the meetings.
        count: Prisma.sql`SELECT count(*)::int AS n FROM meeting_channel WHERE channel_id = ${channel.id}`,
      },
    );
  }
}

@Resolver(() => Meeting)
export class MeetingChannelsResolver {
  @Extensions(bounded(MEETING_PART_CAPS.channels))
  @FieldResolver(() => [Channel], { description: 'The channels this meeting touched, in the order the record lists them.' })
  channels(@Root() meeting: MeetingRow, @Ctx() ctx: Context): ChannelRow[] | Promise<ChannelRow[]> {
    const toChannels = (links: { channelId: number }[]) => {
      const channels = links.map((link) => ctx.loaders.channelNow(link.channelId));
      return channels.some((c) => c instanceof Promise) ? (Promise.all(channels) as Promise<ChannelRow[]>) : (channels as ChannelRow[]);
    };
    const links = meetingPart<{ channelId: number }[]>(ctx, 'channels', meeting.id);
    return links instanceof Promise ? links.then(toChannels) : toChannels(links);
  }
}
