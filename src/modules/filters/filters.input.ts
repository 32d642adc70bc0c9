/**
 * The filter inputs: MeetingFilter and OutcomeFilter refer to each other (meetings with such
 * outcomes, outcomes of such meetings), so they live in one file, with their parts. What each
 * means in SQL is filter.sql.ts, the one implementation every list, stats, timelines and search use.
 */
import { Field, InputType } from 'type-graphql';
import { MeetingKind, MeetingMode, MeetingRelation, Side, Track } from '../meetings/meeting.enums';
import { RelationDirection } from '../meetings/meeting.type';
import { OutcomeStatus } from '../outcomes/outcome-status.enum';
import { Asserter, SideClaims } from '../outcomes/asserter.enum';

@InputType({ description: 'Who took part, and for which side; both conditions must hold for the same participant.' })
export class ParticipationFilter {
  @Field(() => String, { nullable: true, description: 'A person\'s slug, e.g. "antony-blinken".' })
  person?: string | null;

  @Field(() => Side, { nullable: true, description: 'The side the participant took part for.' })
  side?: Side | null;

  @Field(() => String, { nullable: true, description: 'The slug of the organisation the participant represented.' })
  organization?: string | null;
}

@InputType({ description: 'A link to another meeting.' })
export class RelatedFilter {
  @Field(() => String, { description: 'Slug of the other meeting.' })
  slug!: string;

  @Field(() => [MeetingRelation], { nullable: true, description: 'Only links of these kinds (default: any).' })
  relations?: MeetingRelation[] | null;

  @Field(() => RelationDirection, {
    nullable: true,
    description: 'OUTGOING: this meeting <relation> the other; INCOMING: the other <relation> this one; default: either.',
  })
  direction?: RelationDirection | null;
}

@InputType({
  description:
    'Conditions a meeting must meet; all given conditions apply together (AND), and a list matches any of its ' +
    'values (OR). Dates treat a MONTH-precision meeting as its whole month: a meeting matches a from/to range that ' +
    'its period overlaps.',
})
export class MeetingFilter {
  @Field(() => [String], { nullable: true, description: 'Channel slugs: meetings touching any of them.' })
  channels?: string[] | null;

  @Field(() => [Track], { nullable: true, description: 'Meetings on any of these tracks.' })
  tracks?: Track[] | null;

  @Field(() => [MeetingKind], { nullable: true, description: 'Meetings of any of these kinds.' })
  kinds?: MeetingKind[] | null;

  @Field(() => [MeetingMode], { nullable: true, description: 'Meetings held in any of these modes.' })
  modes?: MeetingMode[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Meetings whose period ends on or after this date ("YYYY-MM-DD", "YYYY-MM" from the 1st, "YYYY" from 1 January).',
  })
  from?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Meetings whose period starts on or before this date ("YYYY-MM-DD", "YYYY-MM" to its last day, "YYYY" to 31 December).',
  })
  to?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code of the country where the meeting took place.' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: "A person's slug: meetings they took part in." })
  participant?: string | null;

  @Field(() => String, { nullable: true, description: "An organisation's slug: meetings it hosted." })
  host?: string | null;

  @Field(() => [OutcomeStatus], { nullable: true, description: 'Meetings with at least one outcome in any of these statuses.' })
  outcomeStatus?: OutcomeStatus[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only records flagged uncertain; false: only the others.' })
  uncertain?: boolean | null;

  @Field(() => OutcomeFilter, { nullable: true, description: 'Meetings with at least one outcome matching this filter.' })
  outcomes?: OutcomeFilter | null;

  @Field(() => ParticipationFilter, { nullable: true, description: 'Meetings with a participant matching this filter.' })
  participation?: ParticipationFilter | null;

  @Field(() => RelatedFilter, { nullable: true, description: 'Meetings linked to another meeting.' })
  relatedTo?: RelatedFilter | null;

  @Field(() => [MeetingFilter], { nullable: true, description: 'Meetings matching every one of these filters.' })
  and?: MeetingFilter[] | null;

  @Field(() => [MeetingFilter], { nullable: true, description: 'Meetings matching at least one of these filters.' })
  or?: MeetingFilter[] | null;

  @Field(() => [MeetingFilter], { nullable: true, description: 'Meetings matching none of these filters.' })
  not?: MeetingFilter[] | null;
}

@InputType({
  description:
    'Conditions an outcome must meet; all apply together, a list matches any of its values. Dates are those of the ' +
    "outcome's meeting, a MONTH-precision meeting counting as its whole month.",
})
export class OutcomeFilter {
  @Field(() => [String], { nullable: true, description: 'Channel slugs: outcomes on any of them.' })
  channels?: string[] | null;

  @Field(() => [OutcomeStatus], { nullable: true, description: 'Outcomes in any of these statuses.' })
  statuses?: OutcomeStatus[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Outcomes of meetings whose period ends on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).',
  })
  from?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Outcomes of meetings whose period starts on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).',
  })
  to?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: outcomes a later meeting carried out (fulfilledBy is not empty); false: those with nothing after them — ' +
      'combine with statuses: [PLANNED] to find plans that were never followed up.',
  })
  fulfilled?: boolean | null;

  @Field(() => [Asserter], {
    nullable: true,
    description: 'Outcomes asserted by any of these (`Outcome.assertedBy`); combine with `not` for "by the US but not by China".',
  })
  assertedBy?: Asserter[] | null;

  @Field(() => SideClaims, {
    nullable: true,
    description:
      "Which of the two governments' accounts claim the outcome: ONE_SIDE finds what only one side's readout claims " +
      '(US or CN alone, no joint text); BOTH_SIDES, both or a joint text; NEITHER_SIDE, third parties only or unattributed.',
  })
  sideClaims?: SideClaims | null;

  @Field(() => MeetingFilter, { nullable: true, description: 'Outcomes of meetings matching this filter.' })
  meeting?: MeetingFilter | null;

  @Field(() => [OutcomeFilter], { nullable: true, description: 'Outcomes matching every one of these filters.' })
  and?: OutcomeFilter[] | null;

  @Field(() => [OutcomeFilter], { nullable: true, description: 'Outcomes matching at least one of these filters.' })
  or?: OutcomeFilter[] | null;

  @Field(() => [OutcomeFilter], { nullable: true, description: 'Outcomes matching none of these filters.' })
  not?: OutcomeFilter[] | null;
}
