import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.interface';
import { OutcomeStatus } from './outcome-status.enum';

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description: 'Something a meeting produced on one of its channels: an agreement, a plan, a refusal, a suspension.',
})
export class Outcome extends Node {
  @Field({ description: 'What was agreed, planned, done, discussed, declined or suspended.' })
  description!: string;

  @Field(() => OutcomeStatus, { description: 'Its status as of the meeting.' })
  status!: OutcomeStatus;

  @Field(() => String, {
    nullable: true,
    description: "What became of it later, who asserted it when the two sides' readouts differ, or a quote.",
  })
  note!: string | null;
}
