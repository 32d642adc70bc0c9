import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from '../channels/channel.type';
import { MeetingKind, Side, Track } from '../meetings/meeting.enums';
import { Meeting } from '../meetings/meeting.type';
import { Outcome } from '../outcomes/outcome.type';
import { OutcomeStatus } from '../outcomes/outcome-status.enum';

export enum StatsDimension {
  CHANNEL = 'CHANNEL',
  STATUS = 'STATUS',
  TRACK = 'TRACK',
  KIND = 'KIND',
  SIDE = 'SIDE',
  COUNTRY = 'COUNTRY',
  YEAR = 'YEAR',
  MONTH = 'MONTH',
}

registerEnumType(StatsDimension, {
  name: 'StatsDimension',
  description: 'What to group counts by. Several may be combined; each bucket then holds one value of each.',
  valuesConfig: {
    CHANNEL: { description: "The meeting's channels (for MEETINGS) or the outcome's channel (for OUTCOMES)." },
    STATUS: { description: 'Outcome status. For MEETINGS, a meeting counts once per status among its outcomes.' },
    TRACK: { description: 'Track 1, 1.5 or 2.' },
    KIND: { description: 'Kind of meeting.' },
    SIDE: { description: 'Side of a participant: a meeting counts once per side present.' },
    COUNTRY: { description: 'Country code of the venue; null for calls, video meetings and statements.' },
    YEAR: { description: 'Year the meeting started.' },
    MONTH: { description: 'Month the meeting started ("YYYY-MM"); month-precision meetings have one.' },
  },
});

export enum StatsMeasure {
  MEETINGS = 'MEETINGS',
  OUTCOMES = 'OUTCOMES',
}

registerEnumType(StatsMeasure, {
  name: 'StatsMeasure',
  description: 'What each bucket counts.',
  valuesConfig: {
    MEETINGS: { description: 'Distinct meetings.' },
    OUTCOMES: { description: 'Distinct outcomes.' },
  },
});

@ObjectType({
  simpleResolvers: true,
  description: 'One group of a `stats` result: the values it is grouped by, and its count. Dimensions not grouped by are null.',
})
export class StatsBucket {
  @Field(() => Channel, { nullable: true, description: 'The channel, when grouped by CHANNEL.' })
  channel!: Channel | null;

  @Field(() => OutcomeStatus, { nullable: true, description: 'The outcome status, when grouped by STATUS.' })
  status!: OutcomeStatus | null;

  @Field(() => Track, { nullable: true, description: 'The track, when grouped by TRACK.' })
  track!: Track | null;

  @Field(() => MeetingKind, { nullable: true, description: 'The kind, when grouped by KIND.' })
  kind!: MeetingKind | null;

  @Field(() => Side, { nullable: true, description: 'The side, when grouped by SIDE.' })
  side!: Side | null;

  @Field(() => String, {
    nullable: true,
    description: 'The country code, when grouped by COUNTRY (null there for meetings with no venue).',
  })
  countryCode!: string | null;

  @Field(() => Int, { nullable: true, description: 'The year, when grouped by YEAR.' })
  year!: number | null;

  @Field(() => String, { nullable: true, description: 'The month as "YYYY-MM", when grouped by MONTH.' })
  month!: string | null;

  @Field(() => Int, { description: 'Meetings or outcomes (see `measure`) in this group.' })
  count!: number;
}

export enum ChannelPhase {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  RESUMED = 'RESUMED',
}

registerEnumType(ChannelPhase, {
  name: 'ChannelPhase',
  description: 'The state of a channel after an event of its timeline.',
  valuesConfig: {
    ACTIVE: { description: 'In use.' },
    SUSPENDED: { description: 'Suspended by this or an earlier event; discussions, plans and refusals do not end it.' },
    RESUMED: { description: 'The first outcome agreed or implemented after a suspension.' },
  },
});

@ObjectType({ simpleResolvers: true, description: "One outcome in a channel's timeline." })
export class TimelineEvent {
  @Field({ description: 'When: the start date of the meeting ("YYYY-MM-DD", or "YYYY-MM" for month precision).' })
  date!: string;

  @Field(() => OutcomeStatus, { description: "The outcome's status." })
  status!: OutcomeStatus;

  @Field(() => ChannelPhase, { description: "The channel's state after this event." })
  phase!: ChannelPhase;

  @Field(() => Outcome, { description: 'The outcome.' })
  outcome!: Outcome;

  @Field(() => Meeting, { description: 'The meeting that produced it.' })
  meeting!: Meeting;
}

@ObjectType({
  simpleResolvers: true,
  description: 'The dated sequence of outcomes on one channel, for charts of when it was active, suspended or resumed.',
})
export class ChannelTimeline {
  @Field(() => Channel, { description: 'The channel.' })
  channel!: Channel;

  // events and truncated are resolved by TimelineResolver (stats.resolver.ts), with their limit.
}
