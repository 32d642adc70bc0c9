import { Field, InputType } from 'type-graphql';
import { MeetingFilter } from '../meetings/meeting-filter.input';
import { OutcomeStatus } from './outcome-status.enum';

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

  @Field(() => String, { nullable: true, description: 'Outcomes of meetings whose period ends on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Outcomes of meetings whose period starts on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).' })
  to?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: outcomes a later meeting carried out (fulfilledBy is not empty); false: those with nothing after them — ' +
      'combine with statuses: [PLANNED] to find plans that were never followed up.',
  })
  fulfilled?: boolean | null;

  @Field(() => MeetingFilter, { nullable: true, description: 'Outcomes of meetings matching this filter.' })
  meeting?: MeetingFilter | null;

  @Field(() => [OutcomeFilter], { nullable: true, description: 'Outcomes matching every one of these filters.' })
  and?: OutcomeFilter[] | null;

  @Field(() => [OutcomeFilter], { nullable: true, description: 'Outcomes matching at least one of these filters.' })
  or?: OutcomeFilter[] | null;

  @Field(() => [OutcomeFilter], { nullable: true, description: 'Outcomes matching none of these filters.' })
  not?: OutcomeFilter[] | null;
}
