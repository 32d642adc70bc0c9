import { Arg, Ctx, Extensions, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { bounded, LIST_LIMITS, limitDescription, listLimit } from '../../common/limits/list-bounds';
import { MAX_CHANNELS } from '../channels/channel-limits';
import type { Channel as ChannelRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { Channel } from '../channels/channel.type';
import { MeetingFilter, OutcomeFilter } from '../filters/filters.input';
import { OutcomeStatus } from '../outcomes/outcome-status.enum';
import { Meeting } from '../meetings/meeting.type';
import { channelTimelines, stats, type StatsRow, type TimelineRow } from './stats.service';
import { ChannelTimeline, StatsBucket, StatsDimension, StatsMeasure, TimelineEvent } from './stats.types';

@Resolver(() => StatsBucket)
export class StatsResolver {
  @Query(() => [StatsBucket], {
    description:
      'Counts for charts, grouped by any combination of dimensions and computed in the database. Example: ' +
      'outcomes by channel and status, `stats(measure: OUTCOMES, groupBy: [CHANNEL, STATUS])`. Refused with ' +
      'RESULT_TOO_LARGE when there would be more than `limit` buckets.',
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
    @Arg('limit', () => Int, {
      nullable: true,
      defaultValue: LIST_LIMITS.statsBuckets.default,
      description: limitDescription(LIST_LIMITS.statsBuckets, 'buckets'),
    })
    limit?: number | null,
  ): Promise<StatsRow[]> {
    return stats(ctx, { groupBy, measure, filter, outcomeFilter, limit: listLimit(limit, LIST_LIMITS.statsBuckets) });
  }

  @FieldResolver(() => Channel, { nullable: true, description: 'The channel, when grouped by CHANNEL.' })
  channel(@Root() row: StatsRow, @Ctx() ctx: Context): ChannelRow | Promise<ChannelRow | null> | null {
    return row.channelId === null ? null : ctx.loaders.channelNow(row.channelId);
  }
}

@Resolver(() => ChannelTimeline)
export class TimelineResolver {
  @Extensions(bounded(MAX_CHANNELS, 'channels'))
  @Query(() => [ChannelTimeline], {
    description: 'For each channel, its outcomes in date order, marking suspensions and resumptions.',
  })
  timelines(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('channels', () => [String], { nullable: true, description: 'Channel slugs; default: every channel.' })
    channels?: string[] | null,
    @Arg('filter', () => MeetingFilter, { nullable: true, description: 'Only outcomes of meetings matching this filter.' })
    filter?: MeetingFilter | null,
  ): Promise<TimelineRow[]> {
    return channelTimelines(ctx, channels, filter, eventsLimit(info));
  }

  @FieldResolver(() => [TimelineEvent], { description: 'Its outcomes, oldest first: the first `limit` of them (see `truncated`).' })
  events(
    @Root() row: TimelineRow,
    @Arg('limit', () => Int, {
      nullable: true,
      defaultValue: LIST_LIMITS.timelineEvents.default,
      description: limitDescription(LIST_LIMITS.timelineEvents, 'events'),
    })
    limit?: number | null,
  ): TimelineRow['events'] {
    return row.events.slice(0, listLimit(limit, LIST_LIMITS.timelineEvents));
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when the channel has more events than `events(limit:)` returns (the largest limit, when several `events` ' +
      'are selected); narrow `filter` (e.g. `from`) or raise the limit.',
  })
  truncated(@Root() row: TimelineRow): boolean {
    return row.truncated;
  }

  @FieldResolver(() => Channel, { description: 'The channel.' })
  channel(@Root() row: TimelineRow, @Ctx() ctx: Context): ChannelRow | Promise<ChannelRow> {
    // Timelines only list channels that exist.
    return ctx.loaders.channelNow(row.channelId) as ChannelRow | Promise<ChannelRow>;
  }
}

/**
 * The events read per channel: the largest `limit` the `events` selections ask for (they are
 * read once for all selections), so that no more is read than is returned.
 */
function eventsLimit(info: GraphQLResolveInfo): number {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const limits = Object.values(tree?.fieldsByTypeName ?? {})
    .flatMap((fields) => Object.values(fields))
    .filter((field) => field.name === 'events')
    .map((field) => listLimit(field.args.limit as number | null | undefined, LIST_LIMITS.timelineEvents, 'events.limit'));
  return limits.length ? Math.max(...limits) : LIST_LIMITS.timelineEvents.default;
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
