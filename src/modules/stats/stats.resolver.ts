import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Channel as ChannelRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { Channel } from '../channels/channel.type';
import { MeetingFilter } from '../meetings/meeting-filter.input';
import { OutcomeFilter } from '../outcomes/outcome-filter.input';
import { OutcomeStatus } from '../outcomes/outcome-status.enum';
import { Meeting } from '../meetings/meeting.type';
import { channelTimelines, stats, type StatsRow, type TimelineRow } from './stats.service';
import { ChannelTimeline, StatsBucket, StatsDimension, StatsMeasure, TimelineEvent } from './stats.types';

@Resolver(() => StatsBucket)
export class StatsResolver {
  @Query(() => [StatsBucket], {
    description:
      'Counts for charts, grouped by any combination of dimensions and computed in the database. Example: ' +
      'outcomes by channel and status, `stats(measure: OUTCOMES, groupBy: [CHANNEL, STATUS])`.',
  })
  stats(
    @Ctx() ctx: Context,
    @Arg('groupBy', () => [StatsDimension], { description: 'Dimensions to group by; empty for a single total.' })
    groupBy: StatsDimension[],
    @Arg('measure', () => StatsMeasure, { defaultValue: StatsMeasure.MEETINGS, description: 'What to count.' })
    measure: StatsMeasure,
    @Arg('filter', () => MeetingFilter, { nullable: true, description: 'Only meetings matching this filter.' })
    filter?: MeetingFilter | null,
    @Arg('outcomeFilter', () => OutcomeFilter, {
      nullable: true,
      description: 'Only outcomes matching this filter (and, for MEETINGS, only meetings with such an outcome).',
    })
    outcomeFilter?: OutcomeFilter | null,
  ): Promise<StatsRow[]> {
    return stats(ctx, { groupBy, measure, filter, outcomeFilter });
  }

  @FieldResolver(() => Channel, { nullable: true, description: 'The channel, when grouped by CHANNEL.' })
  channel(@Root() row: StatsRow, @Ctx() ctx: Context): ChannelRow | Promise<ChannelRow | null> | null {
    return row.channelId === null ? null : ctx.loaders.channelNow(row.channelId);
  }
}

@Resolver(() => ChannelTimeline)
export class TimelineResolver {
  @Query(() => [ChannelTimeline], {
    description: 'For each channel, its outcomes in date order, marking suspensions and resumptions.',
  })
  timelines(
    @Ctx() ctx: Context,
    @Arg('channels', () => [String], { nullable: true, description: 'Channel slugs; default: every channel.' })
    channels?: string[] | null,
    @Arg('filter', () => MeetingFilter, { nullable: true, description: 'Only outcomes of meetings matching this filter.' })
    filter?: MeetingFilter | null,
  ): Promise<TimelineRow[]> {
    return channelTimelines(ctx, channels, filter);
  }

  @FieldResolver(() => Channel, { description: 'The channel.' })
  channel(@Root() row: TimelineRow, @Ctx() ctx: Context): ChannelRow | Promise<ChannelRow> {
    // Timelines only list channels that exist.
    return ctx.loaders.channelNow(row.channelId) as ChannelRow | Promise<ChannelRow>;
  }
}

@Resolver(() => TimelineEvent)
export class TimelineEventResolver {
  @FieldResolver(() => Meeting, { description: 'The meeting that produced it.' })
  async meeting(@Root() event: TimelineRow['events'][number], @Ctx() ctx: Context) {
    return ctx.loaders.meetingById.load(event.outcome.meetingId);
  }

  @FieldResolver(() => OutcomeStatus, { description: "The outcome's status." })
  status(@Root() event: TimelineRow['events'][number]) {
    return event.outcome.status;
  }
}
