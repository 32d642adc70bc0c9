import { Field, InputType } from 'type-graphql';
import { OutcomeStatus } from '../outcomes/outcome-status.enum';
import { MeetingKind, MeetingMode, Track } from './meeting.enums';

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
}
