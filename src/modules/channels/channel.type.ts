import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.interface';

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description: 'A policy area engagements touch: military, climate, ai, counternarcotics and the others of the data set.',
})
export class Channel extends Node {
  @Field({ description: 'Stable key, e.g. "military", "crisis_communication", "counternarcotics".' })
  slug!: string;

  @Field({ description: 'Human name, e.g. "Crisis communication".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'One line on what the channel covers.' })
  description!: string | null;
}
