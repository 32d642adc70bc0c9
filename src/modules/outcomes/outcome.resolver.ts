import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { Arg, Args, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Prisma, type Channel as ChannelRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { channelIds } from '../channels/channel.loaders';
import { toGlobalId } from '../../common/global-id';
import { ConnectionType, ForwardPageArgs, PageArgs } from '../../common/pagination';
import { Channel } from '../channels/channel.type';
import { Meeting } from '../meetings/meeting.type';
import type { MeetingRow } from '../meetings/meeting.service';
import { meetingPart } from '../meetings/meeting-prefetch';
import { OutcomeFilter } from '../filters/filters.input';
import { OutcomeStatus } from './outcome-status.enum';
import { Outcome } from './outcome.type';
import { listOutcomes, type OutcomeRow } from './outcome.service';
import { bounded, LIST_LIMITS, limitDescription, listLimit } from '../../common/limits/list-bounds';
import { MEETING_PART_CAPS } from '../meetings/meeting-limits';

export const OutcomeConnection = ConnectionType('Outcome', Outcome, 'outcome');

@Resolver(() => Outcome)
export class OutcomeResolver {
  @Query(() => OutcomeConnection, {
    description: "Outcomes across all meetings, newest meeting first, each meeting's outcomes in record order.",
  })
  outcomes(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => OutcomeFilter, { nullable: true, description: 'Conditions the outcomes must meet.' })
    filter?: OutcomeFilter | null,
  ) {
    return listOutcomes(ctx, { ...page, filter });
  }

  @FieldResolver(() => ID, { description: 'Opaque global id; `node(id:)` resolves it.' })
  id(@Root() outcome: OutcomeRow): string {
    return toGlobalId('Outcome', outcome.id);
  }

  @FieldResolver(() => Channel, { description: "The channel the outcome is on; always one of its meeting's channels." })
  channel(@Root() outcome: OutcomeRow, @Ctx() ctx: Context): ChannelRow | Promise<ChannelRow> {
    // An outcome's channel always exists (foreign key).
    return ctx.loaders.channelNow(outcome.channelId) as ChannelRow | Promise<ChannelRow>;
  }

  @FieldResolver(() => [Meeting], {
    description:
      'Later meetings that carried out this planned or agreed outcome: those recorded as implementing its meeting ' +
      '(`IMPLEMENTS_OUTCOME_OF`) that touch its channel, and those its note cites. Empty when nothing followed ' +
      '(filter with `OutcomeFilter.fulfilled: false`). Oldest first; the first `limit` of them.',
  })
  async fulfilledBy(
    @Root() outcome: OutcomeRow,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, {
      nullable: true,
      defaultValue: LIST_LIMITS.fulfilledBy.default,
      description: limitDescription(LIST_LIMITS.fulfilledBy, 'meetings'),
    })
    limit?: number | null,
  ): Promise<MeetingRow[]> {
    const fulfilments = (await ctx.loaders.fulfilmentsByOutcome.load(outcome.id)).slice(0, listLimit(limit, LIST_LIMITS.fulfilledBy));
    return (await ctx.loaders.meetingById.loadMany(fulfilments.map((f) => f.meetingId))) as MeetingRow[];
  }

  @FieldResolver(() => Meeting, { description: 'The meeting that produced the outcome.' })
  async meeting(@Root() outcome: OutcomeRow, @Ctx() ctx: Context): Promise<MeetingRow> {
    return (await ctx.loaders.meetingById.load(outcome.meetingId))!;
  }
}

@Resolver(() => Meeting)
export class MeetingOutcomesResolver {
  @Extensions(bounded(MEETING_PART_CAPS.outcomes))
  @FieldResolver(() => [Outcome], { description: "The meeting's outcomes, in record order, optionally narrowed." })
  outcomes(
    @Root() meeting: MeetingRow,
    @Ctx() ctx: Context,
    @Arg('status', () => [OutcomeStatus], { nullable: true, description: 'Only outcomes in any of these statuses.' })
    status?: OutcomeStatus[] | null,
    @Arg('channel', () => String, { nullable: true, description: 'Only outcomes on this channel (slug).' })
    channel?: string | null,
  ): OutcomeRow[] | Promise<OutcomeRow[]> {
    return meetingOutcomes(meeting, { status, channel }, ctx);
  }
}

/**
 * Installs meetingOutcomes as Meeting.outcomes' resolver directly (schema.ts calls this once the
 * schema is built): type-graphql handles arguments asynchronously, even with validation off, which
 * would make this field a promise for every meeting of a page even when its outcomes were read
 * with the page. The field's type, arguments, description and extensions stay as declared above.
 */
export function resolveMeetingOutcomesDirectly(schema: GraphQLSchema): void {
  const field = (schema.getType('Meeting') as GraphQLObjectType).getFields().outcomes;
  field.resolve = (meeting, args, ctx) => meetingOutcomes(meeting, args, ctx);
}

/** Meeting.outcomes: the meeting's outcomes, narrowed by status and channel. */
export function meetingOutcomes(
  meeting: Pick<MeetingRow, 'id'>,
  { status, channel }: { status?: OutcomeStatus[] | null; channel?: string | null },
  ctx: Context,
): OutcomeRow[] | Promise<OutcomeRow[]> {
  const narrow = (outcomes: OutcomeRow[], channelId?: number) =>
    status == null && channelId === undefined
      ? outcomes
      : outcomes.filter((o) => (status == null || status.includes(o.status)) && (channelId === undefined || o.channelId === channelId));
  if (channel != null) {
    return (async () => {
      const [channelId] = await channelIds(ctx.loaders.allChannels, [channel], 'channel');
      return narrow(await meetingPart<OutcomeRow[]>(ctx, 'outcomes', meeting.id), channelId);
    })();
  }
  const outcomes = meetingPart<OutcomeRow[]>(ctx, 'outcomes', meeting.id);
  return outcomes instanceof Promise ? outcomes.then((all) => narrow(all)) : narrow(outcomes);
}

@Resolver(() => Channel)
export class ChannelOutcomesResolver {
  @FieldResolver(() => OutcomeConnection, { description: 'Outcomes on this channel, newest meeting first.' })
  outcomes(
    @Root() channel: ChannelRow,
    @Ctx() ctx: Context,
    @Args() page: ForwardPageArgs,
    @Arg('status', () => [OutcomeStatus], { nullable: true, description: 'Only outcomes in any of these statuses.' })
    status?: OutcomeStatus[] | null,
  ) {
    return listOutcomes(ctx, { ...page, filter: { statuses: status } }, Prisma.sql`o.channel_id = ${channel.id}`);
  }
}
